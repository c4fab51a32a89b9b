// The same POM built twice from nothing, minutes apart, gives the same bytes, for both kinds of image; the
// checksum file and the build's last line say so; one changed file changes the image; the raw MBR image boots.
import dev.vmforge.it.GuestBoot

String sha256(File f) {
    dev.vmforge.Sha256.ofFile(f.toPath())
}

File image(String target, String extension) {
    new File(basedir, "target-${target}/hello-1.0.0.${extension}")
}

String buildLog = new File(basedir, "build.log").text
// each round started from an empty cache: it built the builder VM's initramfs and the root file system itself
for (String round : ["1", "2"]) {
    File store = new File(basedir, "cache-${round}/store")
    assert store.isDirectory(): "round ${round} used no cache of its own at ${store}"
    assert store.list().any { it.endsWith("-builder") }: "round ${round} built no builder VM: ${store.list()}"
}
assert buildLog.findAll(/Builder VM kernel and initramfs +kernel /).size() == 2: "each round builds the builder VM once"

for (def kind : [["qcow2", "qcow2, GPT, BIOS+UEFI"], ["img", "raw, MBR, BIOS"]]) {
    File first = image("1", kind[0])
    File second = image("2", kind[0])
    assert first.isFile() && second.isFile(): "missing ${first} or ${second}"
    // the rounds ran at different times: the host clock differed by at least 30 s between the two builds, which
    // changes every clock reading an image could hold (ext4 and tar keep seconds, FAT 2 s)
    long apart = Math.abs(second.lastModified() - first.lastModified()) / 1000
    assert apart >= 30: "the two ${kind[1]} images were written only ${apart} s apart"
    String hex = sha256(first)
    assert sha256(second) == hex: "${kind[1]}: round 1 and round 2 differ:\n${first}\n${second}"
    for (File f : [first, second]) {
        File checksum = new File(f.path + ".sha256")
        assert checksum.text == "${hex}  ${f.name}\n": "${checksum}: ${checksum.text}"
    }
    assert buildLog.contains("SHA-256 ${hex} (in ${first.name}.sha256)"): "the build did not print ${hex}"
    println "[verify] ${kind[1]}: identical after ${apart} s, SHA-256 ${hex}"
}

// one input changed (a file's content): another image, so the comparison above can fail
File changed = image("changed", "qcow2")
assert changed.isFile()
String changedHex = sha256(changed)
assert changedHex != sha256(image("1", "qcow2")): "changing /etc/motd's content did not change the image"
assert new File(changed.path + ".sha256").text.startsWith(changedHex)

// the reproducible raw MBR image boots (image-hello boots the qcow2 GPT kind under SeaBIOS and OVMF)
def log = new File(basedir, "target-2/boot-bios.log").toPath()
def result = GuestBoot.boot(image("2", "img").toPath(), "raw", "bios", "HELLO from hello: Built by vm-maven-plugin", 300, log)
println "[verify] raw MBR image, bios: marker after ${String.format('%.1f', result.seconds())} s"
assert result.markerSeen(): "the raw MBR image did not boot to the service's line; console:\n${result.console()}"
return true
