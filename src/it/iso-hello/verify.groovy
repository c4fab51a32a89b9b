// One ISO, four boots: a CD under SeaBIOS and under OVMF, a USB stick (xHCI) under SeaBIOS and under OVMF. Each time the service's
// line must reach the serial console, from a root that is an overlay over the read-only ISO 9660 medium.
import dev.vmforge.it.GuestBoot

def run(List cmd) {
    def p = cmd.execute()
    def out = new StringBuilder()
    p.waitForProcessOutput(out, out)
    assert p.exitValue() == 0: "${cmd.join(' ')} failed:\n${out}"
    return out.toString()
}

File iso = new File(basedir, "target/iso-hello-1.0.0.iso")
assert iso.isFile(): "no ISO at ${iso}"
assert new File(basedir, "target/iso-hello-1.0.0.iso.sha256").isFile()

// El Torito: a BIOS entry and an EFI entry; the system area: GRUB's hybrid MBR and a GPT with the EFI partition
String report = run(["xorriso", "-indev", iso.path, "-report_el_torito", "plain", "-report_system_area", "plain"])
println "[verify] xorriso:\n${report}"
assert report =~ /El Torito boot img :\s+1\s+BIOS/: "no BIOS El Torito entry:\n${report}"
assert report =~ /El Torito boot img :\s+2\s+UEFI/: "no UEFI El Torito entry:\n${report}"
assert report.contains("GPT type GUID") && report.toLowerCase().contains("28732ac11ff8d211ba4b00a0c93ec93b"):
        "no EFI system partition in the GPT:\n${report}"
assert report =~ /Volume id\s*:\s*'HELLO_LIVE'/: "the volume ID is not the upper-cased label:\n${report}"

String marker = "HELLO from iso-hello root=overlay medium=iso9660 wrote=written"
def boots = [
        ["cdrom-bios", GuestBoot.cdrom(iso.toPath()), "bios"],
        ["cdrom-uefi", GuestBoot.cdrom(iso.toPath()), "uefi"],
        ["usb-bios", GuestBoot.usbStick(iso.toPath()), "bios"],
        ["usb-uefi", GuestBoot.usbStick(iso.toPath()), "uefi"],
]
for (def b : boots) {
    def log = new File(basedir, "target/boot-${b[0]}.log").toPath()
    def result = GuestBoot.boot(b[1], b[2], marker, 420, log)
    println "[verify] ${b[0]}: marker after ${String.format('%.1f', result.seconds())} s"
    assert result.markerSeen(): "${b[0]}: the service's line did not appear; console:\n${result.console()}"
}

// The second invocation found everything in the store: no builder VM ran.
String buildLog = new File(basedir, "build.log").text
int lastGoal = buildLog.lastIndexOf(":build-image (")
assert lastGoal >= 0: "no build-image execution in the log"
String second = buildLog.substring(lastGoal)
assert !second.contains("builder VM 'build-iso': starting"): "the second build started a builder VM:\n${second}"
assert second.contains("up to date"): "the second build did not report a cache hit:\n${second}"
return true
