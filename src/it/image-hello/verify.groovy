// Boots the built image under SeaBIOS and OVMF and reads the service's line on the serial console.
import dev.vmforge.it.GuestBoot

def run(List cmd) {
    def p = cmd.execute()
    def out = new StringBuilder()
    p.waitForProcessOutput(out, out) // waits for both streams to be read, not only for the exit
    assert p.exitValue() == 0: "${cmd.join(' ')} failed:\n${out}"
    return out.toString()
}

File image = new File(basedir, "target/image-hello-1.0.0.qcow2")
assert image.isFile(): "no image at ${image}"
run(["qemu-img", "check", image.path])
File raw = new File(basedir, "target/verify.raw")
run(["qemu-img", "convert", "-O", "raw", image.path, raw.path])
String sfdisk = new File("/usr/sbin/sfdisk").exists() ? "/usr/sbin/sfdisk" : "sfdisk"
String table = run([sfdisk, "--verify", raw.path]) + run([sfdisk, "--dump", raw.path])
assert table.contains("label: gpt")
raw.delete()

for (String firmware : ["bios", "uefi"]) {
    def log = new File(basedir, "target/boot-${firmware}.log").toPath()
    def result = GuestBoot.boot(image.toPath(), "qcow2", firmware, "HELLO from hello: Built by vm-maven-plugin", 300, log)
    println "[verify] ${firmware}: marker after ${String.format('%.1f', result.seconds())} s"
    assert result.markerSeen(): "${firmware} boot did not print the service's line; console:\n${result.console()}"
    // GRUB passed the argument on exactly, though it holds | ; & < > # $ { } *
    String cmdline = result.console().readLines().find { it.contains("CMDLINE ") }
    assert cmdline != null && cmdline.trim().split(/\s+/).contains('vmforge.check=a|b;c&d<e>#f$g{h}*'):
            "${firmware}: the kernel did not get the argument as written: ${cmdline}"
}

// The second invocation found everything in the store: no builder VM ran.
String buildLog = new File(basedir, "build.log").text
def builds = buildLog.split(/BUILD SUCCESS/)
assert builds.length >= 2
// the goal's header: "--- vm-maven-plugin:VERSION:build-image" under Maven 3.8, "--- vm:VERSION:build-image" under 3.9
int lastGoal = buildLog.lastIndexOf(":build-image (")
assert lastGoal >= 0: "no build-image execution in the log"
String second = buildLog.substring(lastGoal)
assert !second.contains("builder VM 'build-image': starting"): "the second build started a builder VM:\n${second}"
assert second.contains("up to date"): "the second build did not report a cache hit:\n${second}"
return true
