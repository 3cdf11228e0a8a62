package org.recon4d.cli;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import net.imglib2.RandomAccessibleInterval;

import org.recon4d.io.Volume;
import org.recon4d.io.Volumes;
import org.recon4d.tensor.Tensors;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.LoadInputsPreprocessor;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.module.process.SaveInputsPreprocessor;
import org.scijava.plugin.PluginService;
import org.scijava.service.Service;

/**
 * The headless launcher: {@code recon4d COMMAND key=value ...} runs any Recon4D SciJava command.
 * Image inputs take a file path (.tif, .npy, .ome.zarr); an image output is written when its
 * name is given as key=path; other outputs are printed. Exit codes: 0 done, 1 failed or
 * cancelled, 2 bad arguments.
 */
public final class Main {

	/** Short names for the commands (any command's class or label also works). */
	static final Map<String, String> ALIASES = new LinkedHashMap<>();
	static {
		ALIASES.put("demo", "org.recon4d.command.DemoCommand");
		ALIASES.put("bench", "org.recon4d.command.BenchCommand");
		ALIASES.put("simulate", "org.recon4d.command.SimulateCommand");
		ALIASES.put("reconstruct", "org.recon4d.command.ReconstructCommand");
		ALIASES.put("write", "org.recon4d.command.WriteVolumeCommand");
		ALIASES.put("engine", "org.recon4d.command.EngineCommand");
		ALIASES.put("show", "org.recon4d.command.ShowInBdvCommand");
		ALIASES.put("train", "org.recon4d.command.TrainCommand");
		ALIASES.put("redpsm", "org.recon4d.command.RedPsmCommand");
		ALIASES.put("mri", "org.recon4d.command.MriReconstructCommand");
		ALIASES.put("mri-unrolled", "org.recon4d.command.MriUnrolledCommand");
		ALIASES.put("mri-simulate", "org.recon4d.command.MriSimulateCommand");
		ALIASES.put("mri-dynamic", "org.recon4d.command.MriDynamicCommand");
		ALIASES.put("mri-maps", "org.recon4d.command.MriCoilMapsCommand");
		ALIASES.put("diffusion-ct", "org.recon4d.command.DiffusionCtCommand");
		ALIASES.put("diffusion-mri", "org.recon4d.command.DiffusionMriCommand");
		ALIASES.put("avatar", "org.recon4d.command.AvatarCommand");
		ALIASES.put("avatar-demo", "org.recon4d.command.AvatarDemoCommand");
	}

	/** Thrown for argument errors (exit code 2). */
	static final class UsageException extends Exception {
		private static final long serialVersionUID = 1L;
		UsageException(final String m) { super(m); }
	}

	private Main() {}

	public static void main(final String[] args) {
		final int code = run(args, System.out, System.err);
		System.exit(code); // the launcher's exit status; library code never exits
	}

	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
			try (Context ctx = context()) {
				if (args.length > 1) return help(ctx, args[1], out, err);
				usage(ctx, out);
				return 0;
			}
		}
		try (Context ctx = context()) {
			final CommandInfo info = find(ctx, args[0]);
			final Map<String, String> kv = new LinkedHashMap<>();
			for (int i = 1; i < args.length; i++) {
				final int eq = args[i].indexOf('=');
				if (eq <= 0) {
					if (info.getInput("name") != null && !kv.containsKey("name")) { kv.put("name", args[i]); continue; }
					throw new UsageException("argument '" + args[i] + "' is not key=value");
				}
				kv.put(args[i].substring(0, eq), args[i].substring(eq + 1));
			}
			final Map<String, Object> inputs = new LinkedHashMap<>();
			final Map<String, String> outputFiles = new LinkedHashMap<>();
			for (final Map.Entry<String, String> e : kv.entrySet()) {
				final ModuleItem<?> in = info.getInput(e.getKey());
				final ModuleItem<?> o = info.getOutput(e.getKey());
				if (in != null && !isService(in)) inputs.put(e.getKey(), convert(ctx, info, in, e.getValue()));
				else if (o != null && RandomAccessibleInterval.class.isAssignableFrom(o.getType())) outputFiles.put(e.getKey(), e.getValue());
				else throw new UsageException("unknown parameter '" + e.getKey() + "' for " + args[0] + "; parameters: " + parameterList(info));
			}
			for (final ModuleItem<?> in : info.inputs()) {
				if (isService(in) || inputs.containsKey(in.getName()) || !in.isRequired()) continue;
				if (!in.getType().isPrimitive() && !String.class.equals(in.getType()) && in.getDefaultValue() == null
					&& (RandomAccessibleInterval.class.isAssignableFrom(in.getType()) || File.class.equals(in.getType())))
					throw new UsageException("missing " + in.getName() + "=... for " + args[0] + "; parameters: " + parameterList(info));
			}
			// Every input gets a value (the command's own default when not given), and the run skips
			// SciJava's load/save of remembered inputs: a command-line run neither depends on nor
			// changes values remembered from interactive Fiji sessions.
			final ModuleService ms = ctx.service(ModuleService.class);
			final Module m = ms.createModule(info);
			for (final ModuleItem<?> in : info.inputs()) {
				if (isService(in) || inputs.containsKey(in.getName())) continue;
				final Object def = in.getValue(m);
				if (def != null) inputs.put(in.getName(), def);
				else m.resolveInput(in.getName()); // stays unset: no remembered value is loaded
			}
			final ProgressPrinter progress = new ProgressPrinter(err);
			ctx.service(EventService.class).subscribe(progress);
			final PluginService ps = ctx.service(PluginService.class);
			final List<PreprocessorPlugin> pre = new java.util.ArrayList<>();
			for (final PreprocessorPlugin p : ps.createInstancesOfType(PreprocessorPlugin.class))
				if (!(p instanceof LoadInputsPreprocessor) && !(p instanceof SaveInputsPreprocessor)) pre.add(p);
			ms.run(m, pre, ps.createInstancesOfType(PostprocessorPlugin.class), inputs).get();
			progress.finish();
			final org.scijava.Cancelable c = (org.scijava.Cancelable) m;
			if (c.isCanceled()) {
				err.println("recon4d " + args[0] + ": " + (c.getCancelReason() == null ? "cancelled" : c.getCancelReason()));
				return 1;
			}
			for (final ModuleItem<?> o : info.outputs()) {
				final Object v = m.getOutput(o.getName());
				if (v == null) continue;
				if (v instanceof RandomAccessibleInterval) {
					final RandomAccessibleInterval<?> img = (RandomAccessibleInterval<?>) v;
					final String path = outputFiles.get(o.getName());
					if (path != null) {
						@SuppressWarnings("unchecked")
						final float[] data = Tensors.data((RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType>) img);
						Volumes.write(Volume.of(data, img.dimensionsAsLongArray()), Paths.get(path), Boolean.parseBoolean(kv.getOrDefault("overwrite", "false")));
						out.println(o.getName() + ": wrote " + java.util.Arrays.toString(img.dimensionsAsLongArray()) + " to " + path);
					}
					else out.println(o.getName() + ": image " + java.util.Arrays.toString(img.dimensionsAsLongArray()) + " (give " + o.getName() + "=PATH to save it)");
				}
				else out.println(o.getName() + ": " + v);
			}
			return 0;
		}
		catch (final UsageException e) {
			err.println("recon4d: " + e.getMessage());
			return 2;
		}
		catch (final java.util.concurrent.ExecutionException e) {
			err.println("recon4d " + args[0] + " failed: " + describe(e.getCause()));
			return 1;
		}
		catch (final Exception e) {
			err.println("recon4d " + args[0] + " failed: " + describe(e));
			return 1;
		}
	}

	static String describe(final Throwable t) {
		final StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage() != null ? t.getMessage() : t.toString()));
		for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) sb.append("\n  caused by: ").append(c);
		return sb.toString();
	}

	static Context context() {
		System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
		return new Context(CommandService.class, ModuleService.class, StatusService.class, LogService.class, ConvertService.class, EventService.class);
	}

	static CommandInfo find(final Context ctx, final String name) throws UsageException {
		final CommandService cs = ctx.service(CommandService.class);
		final String cls = ALIASES.get(name.toLowerCase(Locale.ROOT));
		for (final CommandInfo ci : cs.getCommands()) {
			if (!ci.getClassName().startsWith("org.recon4d.")) continue;
			if (ci.getClassName().equals(cls) || ci.getClassName().equals(name) || ci.getClassName().endsWith("." + name)
				|| name.equalsIgnoreCase(ci.getLabel())) return ci;
		}
		throw new UsageException("unknown command '" + name + "'; commands: " + String.join(", ", ALIASES.keySet()) + " (recon4d help lists them)");
	}

	static boolean isService(final ModuleItem<?> item) {
		return Service.class.isAssignableFrom(item.getType()) || Context.class.isAssignableFrom(item.getType());
	}

	static Object convert(final Context ctx, final CommandInfo info, final ModuleItem<?> item, final String value) throws Exception {
		final Class<?> t = item.getType();
		if (RandomAccessibleInterval.class.isAssignableFrom(t)) return Volumes.read(Paths.get(value)).img();
		if (File.class.equals(t)) return new File(value);
		if (String.class.equals(t)) {
			final List<?> choices = item.getChoices();
			if (choices != null && !choices.isEmpty() && !choices.contains(value))
				throw new UsageException(item.getName() + "=" + value + " is not one of " + choices);
			return value;
		}
		if (t == boolean.class || t == Boolean.class) {
			if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) throw new UsageException(item.getName() + " must be true or false, got '" + value + "'");
			return Boolean.parseBoolean(value);
		}
		try {
			if (t == int.class || t == Integer.class) return Integer.parseInt(value);
			if (t == long.class || t == Long.class) return Long.parseLong(value);
			if (t == double.class || t == Double.class) return Double.parseDouble(value);
			if (t == float.class || t == Float.class) return Float.parseFloat(value);
		}
		catch (final NumberFormatException e) {
			throw new UsageException(item.getName() + " must be a number, got '" + value + "'");
		}
		final Object v = ctx.service(ConvertService.class).convert(value, t);
		if (v == null) throw new UsageException("cannot use '" + value + "' for " + item.getName() + " (" + t.getSimpleName() + ")");
		return v;
	}

	static String parameterList(final CommandInfo info) {
		final StringBuilder sb = new StringBuilder();
		for (final ModuleItem<?> in : info.inputs()) if (!isService(in)) sb.append(sb.length() == 0 ? "" : ", ").append(in.getName());
		return sb.toString();
	}

	static void usage(final Context ctx, final PrintStream out) {
		out.println("usage: recon4d COMMAND [key=value ...]     (recon4d help COMMAND lists its parameters)");
		out.println("       recon4d test                         (installs test dependencies, runs the test suite)");
		final Map<String, String> byClass = new TreeMap<>();
		for (final Map.Entry<String, String> e : ALIASES.entrySet()) byClass.put(e.getValue(), e.getKey());
		for (final CommandInfo ci : ctx.service(CommandService.class).getCommands()) {
			if (!ci.getClassName().startsWith("org.recon4d.")) continue;
			out.printf(Locale.ROOT, "  %-12s %s%n", byClass.getOrDefault(ci.getClassName(), ci.getClassName()), ci.getMenuPath() == null ? ci.getTitle() : ci.getMenuPath().getMenuString());
		}
	}

	static int help(final Context ctx, final String name, final PrintStream out, final PrintStream err) {
		try {
			final CommandInfo info = find(ctx, name);
			out.println(name + ": " + (info.getDescription() == null ? info.getTitle() : info.getDescription()));
			for (final ModuleItem<?> in : info.inputs()) {
				if (isService(in)) continue;
				out.printf(Locale.ROOT, "  %-16s %-10s default %-12s %s%n", in.getName(), in.getType().getSimpleName(), in.getDefaultValue(), in.getLabel());
			}
			for (final ModuleItem<?> o : info.outputs()) out.printf(Locale.ROOT, "  -> %-13s %s%n", o.getName(), o.getType().getSimpleName());
			return 0;
		}
		catch (final UsageException e) {
			err.println("recon4d: " + e.getMessage());
			return 2;
		}
	}

	/** Prints status messages with progress, at most one line per 5 % step. */
	public static final class ProgressPrinter {
		private final PrintStream err;
		private int lastPercent = -100;
		private String lastMessage = "";

		ProgressPrinter(final PrintStream err) {
			this.err = err;
		}

		@EventHandler
		public void onEvent(final StatusEvent e) {
			final int max = e.getProgressMaximum(), v = e.getProgressValue();
			final String msg = e.getStatusMessage();
			if (max > 0) {
				final int pct = (int) (100L * v / max);
				if (pct - lastPercent >= 5 || pct == 100 && lastPercent != 100) {
					lastPercent = pct;
					err.printf(Locale.ROOT, "[%3d%%] %s%n", pct, msg == null ? "" : msg);
				}
			}
			else if (msg != null && !msg.isEmpty() && !msg.equals(lastMessage)) {
				lastMessage = msg;
				err.println("[recon4d] " + msg);
			}
		}

		void finish() {
			err.flush();
		}
	}
}
