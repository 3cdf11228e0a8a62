// Avatar inverse rendering from Groovy (Fiji's Script Editor, or any Groovy with Recon4D on the
// class path). Fits the rigged template to a capture folder (default: the Blender-rendered fixture
// in sample-data/avatar, started from the template deflated to `startScale`), writes the avatar
// (GLB, OBJ, renders, turntable, metrics) into `outDir`, then animates the result: it raises the
// left arm by `raise` degrees, renders that new pose from the first camera and saves it as a PNG.
import java.nio.file.Path
import javax.imageio.ImageIO
import org.recon4d.avatar.AvatarFit
import org.recon4d.avatar.AvatarJob
import org.recon4d.avatar.Dataset
import org.recon4d.avatar.Pose
import org.recon4d.avatar.Renderer
import org.recon4d.solve.Monitor

Path capture = Path.of(binding.hasVariable('capture') ? capture : 'sample-data/avatar')
Path out = Path.of(binding.hasVariable('outDir') ? outDir : 'recon4d-out/avatar-groovy')
double startScale = binding.hasVariable('startScale') ? startScale as double : 0.8
def s = new AvatarFit.Settings()
if (binding.hasVariable('steps')) { s.appearanceSteps = steps as int; s.shapeSteps = steps as int; s.finalSteps = steps as int }

def r = AvatarJob.run(capture, capture.resolve('template.glb'), out, startScale, s, false,
	{ k, total, cost, x -> if (k % 50 == 0) println "step $k/$total" } as Monitor, { println it })
def rig = r.fit.rig
def data = Dataset.read(capture, rig)
// a new pose: the left upper arm rotated about z (glTF node-local quaternion x, y, z, w)
double raise = Math.toRadians(binding.hasVariable('raise') ? raise as double : 60)
double[][] rotations = new double[rig.jointCount()][]
rotations[rig.joint('upperarm_L')] = [0, 0, Math.sin(raise / 2), Math.cos(raise / 2)] as double[]
def img = Renderer.render(rig, new Pose('raised', rotations, null), data.frames[0].camera, r.fit.light, s.shadowRays)
def png = new java.awt.image.BufferedImage(img.width, img.height, java.awt.image.BufferedImage.TYPE_INT_RGB)
int covered = 0
for (int i = 0; i < img.mask.length; i++) {
	if (!img.mask[i]) continue
	covered++
	int px = 0
	for (int k = 0; k < 3; k++) px = (px << 8) | (int) Math.round(255 * Dataset.linearToSrgb(img.rgb[3 * i + k]))
	png.setRGB(i % img.width, i.intdiv(img.width), px)
}
ImageIO.write(png, 'png', out.resolve('raised-arm.png').toFile())
def result = [chamfer_start_mm: 1000 * r.metrics.chamfer_start, chamfer_end_mm: 1000 * r.metrics.chamfer_end,
	novel_view_albedo_psnr: r.metrics['novel-view'].albedo_psnr, raised_pixels: covered]
println "wrote ${out}: $result"
return result
