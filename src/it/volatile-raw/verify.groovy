// Each image is booted twice WITHOUT snapshot=on: the guest may write to the file. A service reports whether an
// earlier boot left its mark in /var, then leaves one. With a volatile root the second boot finds none and the
// image's bytes are unchanged; with a persistent root (the control) the second boot finds the mark.
import dev.vmforge.it.GuestBoot
import java.security.MessageDigest

String sha256(File f) {
    def md = MessageDigest.getInstance("SHA-256")
    f.withInputStream { s -> byte[] buf = new byte[1 << 20]; int n; while ((n = s.read(buf)) > 0) md.update(buf, 0, n) }
    return md.digest().encodeHex().toString()
}

String bootOnce(File image, String name) {
    def log = new File(basedir, "target/boot-${name}.log").toPath()
    def result = GuestBoot.boot(GuestBoot.disk(image.toPath(), "raw", false), "bios", "BOOT-MARK found=", 300, log)
    assert result.markerSeen(): "${name}: the service's line did not appear; console:\n${result.console()}"
    String line = result.console().readLines().find { it.contains("BOOT-MARK found=") }
    println "[verify] ${name}: ${line.trim()} after ${String.format('%.1f', result.seconds())} s"
    return line
}

File volatileImage = new File(basedir, "target/volatile-true.img")
File persistentImage = new File(basedir, "target/volatile-false.img")
assert volatileImage.isFile() && persistentImage.isFile()

String before = sha256(volatileImage)
assert bootOnce(volatileImage, "volatile-1").contains("found=no root=overlay")
assert bootOnce(volatileImage, "volatile-2").contains("found=no root=overlay"): "the volatile root kept a write"
assert sha256(volatileImage) == before: "booting the volatile image changed its file"

assert bootOnce(persistentImage, "persistent-1").contains("found=no root=ext4")
assert bootOnce(persistentImage, "persistent-2").contains("found=yes root=ext4"): "the persistent root lost its write"
return true
