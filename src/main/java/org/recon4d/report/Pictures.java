package org.recon4d.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.recon4d.io.SafeFiles;

/** PNG previews made with Java2D (works headless): frame montages, x-t kymographs and line plots. */
public final class Pictures {

	private Pictures() {}

	/**
	 * Rows of frames: one row per labelled stack (nx x ny x nt, x fastest), columns at the given
	 * frame indices; grey levels from [lo, hi].
	 */
	public static BufferedImage montage(final List<String> labels, final List<float[]> stacks, final int nx, final int ny,
		final int[] frames, final float lo, final float hi)
	{
		final int pad = 4, label = 16;
		final BufferedImage img = new BufferedImage(frames.length * (nx + pad) + pad + 90, stacks.size() * (ny + pad + label) + pad, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = prepare(img);
		for (int r = 0; r < stacks.size(); r++) {
			final int y0 = pad + r * (ny + pad + label) + label;
			g.setColor(Color.WHITE);
			g.drawString(labels.get(r), pad, y0 - 4);
			for (int c = 0; c < frames.length; c++) {
				final int x0 = pad + c * (nx + pad);
				blit(img, stacks.get(r), frames[c] * nx * ny, nx, ny, nx, x0, y0, lo, hi);
				if (r == 0) { g.setColor(Color.LIGHT_GRAY); g.drawString("t=" + frames[c], x0 + 60, y0 - 4); }
			}
		}
		g.dispose();
		return img;
	}

	/** x-t slices through row y: each stack becomes an nx x nt image (time downwards), side by side. */
	public static BufferedImage kymographs(final List<String> labels, final List<float[]> stacks, final int nx, final int ny, final int nt,
		final int row, final float lo, final float hi)
	{
		final int pad = 6, label = 16;
		final BufferedImage img = new BufferedImage(stacks.size() * (nx + pad) + pad, nt + label + 2 * pad, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = prepare(img);
		for (int s = 0; s < stacks.size(); s++) {
			final float[] st = stacks.get(s);
			final float[] kym = new float[nx * nt];
			for (int t = 0; t < nt; t++) System.arraycopy(st, (t * ny + row) * nx, kym, t * nx, nx);
			final int x0 = pad + s * (nx + pad);
			blit(img, kym, 0, nx, nt, nx, x0, pad + label, lo, hi);
			g.setColor(Color.WHITE);
			g.drawString(labels.get(s), x0, pad + label - 4);
		}
		g.dispose();
		return img;
	}

	/** A line plot of one or more series against iteration (1-based), optional log y axis. */
	public static BufferedImage plot(final String title, final String yLabel, final List<String> names, final List<double[]> series, final boolean logY) {
		final int w = 640, h = 400, left = 80, right = 20, top = 40, bottom = 50;
		final BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = img.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, w, h);
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		int n = 1;
		for (final double[] s : series) {
			n = Math.max(n, s.length);
			for (final double v : s) if (Double.isFinite(v) && (!logY || v > 0)) { final double u = logY ? Math.log10(v) : v; lo = Math.min(lo, u); hi = Math.max(hi, u); }
		}
		if (!(hi > lo)) { hi = lo + 1; }
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		g.drawString(title, left, 24);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		g.drawRect(left, top, w - left - right, h - top - bottom);
		for (int k = 0; k <= 4; k++) {
			final double u = lo + (hi - lo) * k / 4;
			final int y = h - bottom - (int) ((h - top - bottom) * k / 4.0);
			g.drawString(logY ? String.format(Locale.ROOT, "1e%.1f", u) : String.format(Locale.ROOT, "%.3g", u), 4, y + 4);
			final int x = left + (int) ((w - left - right) * k / 4.0);
			g.drawString(Integer.toString(1 + (int) Math.round((n - 1) * k / 4.0)), x - 8, h - bottom + 16);
		}
		g.drawString("iteration", w / 2 - 20, h - 12);
		g.drawString(yLabel, 4, top - 8);
		final Color[] colors = { new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd) };
		g.setStroke(new BasicStroke(2f));
		for (int s = 0; s < series.size(); s++) {
			g.setColor(colors[s % colors.length]);
			final double[] v = series.get(s);
			int px = -1, py = -1;
			for (int i = 0; i < v.length; i++) {
				if (!Double.isFinite(v[i]) || (logY && v[i] <= 0)) continue;
				final double u = logY ? Math.log10(v[i]) : v[i];
				final int x = left + (int) ((w - left - right) * (n == 1 ? 0 : i / (double) (n - 1)));
				final int y = h - bottom - (int) ((h - top - bottom) * (u - lo) / (hi - lo));
				if (px >= 0) g.drawLine(px, py, x, y);
				px = x; py = y;
			}
			g.drawString(names.get(s), w - right - 150, top + 18 + 16 * s);
		}
		g.dispose();
		return img;
	}

	public static void save(final BufferedImage img, final Path file, final boolean overwrite) throws IOException {
		SafeFiles.write(file, overwrite, tmp -> {
			if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer");
		});
	}

	private static Graphics2D prepare(final BufferedImage img) {
		final Graphics2D g = img.createGraphics();
		g.setColor(new Color(0x202020));
		g.fillRect(0, 0, img.getWidth(), img.getHeight());
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		return g;
	}

	private static void blit(final BufferedImage img, final float[] d, final int off, final int w, final int h, final int stride,
		final int x0, final int y0, final float lo, final float hi)
	{
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
			final float v = (d[off + y * stride + x] - lo) / (hi - lo);
			final int gr = Math.max(0, Math.min(255, Math.round(255 * v)));
			img.setRGB(x0 + x, y0 + y, (gr << 16) | (gr << 8) | gr);
		}
	}
}
