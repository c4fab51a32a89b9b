// java-http's disk image with its application, built on two stores minutes apart, the packages configured in a
// builder VM for each: the same bytes, and the same configured system.

String sha256(File f) {
    dev.vmforge.Sha256.ofFile(f.toPath())
}

String buildLog = new File(basedir, "build.log").text
String round2 = buildLog.substring(buildLog.lastIndexOf(":build-image ("))
assert round2 =~ /Configuring packages +\d+ packages configured/: "round 2 did not configure the packages:\n${round2}"

// the configured system: round 2's store entry holds the same system.tar as the shared store's, same key
String shared = new File(basedir, "pom.xml").text.find(/<repro.sharedCache>([^<]+)</) { all, dir -> dir }
File[] configured = new File(basedir, "cache-2/store").listFiles().findAll { it.name.endsWith("-configured") }
assert configured.length == 1: "round 2's store: ${configured}"
File sharedEntry = new File(shared, "store/" + configured[0].name)
assert sharedEntry.isDirectory(): "round 1 did not use the shared store's ${sharedEntry}"
def tarLine = { File entry -> new File(entry, ".manifest").readLines().find { it.endsWith(" system.tar") } }
assert tarLine(configured[0]) != null && tarLine(configured[0]) == tarLine(sharedEntry):
        "the configured systems differ:\n${tarLine(sharedEntry)}\n${tarLine(configured[0])}"

File first = new File(basedir, "target-1/java-http-1.0.0.qcow2")
File second = new File(basedir, "target-2/java-http-1.0.0.qcow2")
assert first.isFile() && second.isFile()
long apart = Math.abs(second.lastModified() - first.lastModified()) / 1000
assert apart >= 60: "the two images were written only ${apart} s apart"
String hex = sha256(first)
assert sha256(second) == hex: "java-http: the two images differ:\n${first}\n${second}"
assert new File(second.path + ".sha256").text == "${hex}  java-http-1.0.0.qcow2\n"
println "[verify] java-http with its application: identical after ${apart} s, SHA-256 ${hex}; configured system ${tarLine(sharedEntry)}"
return true
