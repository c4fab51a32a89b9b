// A shared cache as goals leave it: store entries and .debs whose times are their last use, and the record of
// the last goal (started two days ago).
import java.nio.file.Files
import java.nio.file.attribute.FileTime
import java.time.Duration
import java.time.Instant

cache = new File(basedir, "target/gc-cache") // a binding: the functions below see it
now = Instant.now()

def touch(File file, Duration ago) {
    Files.setLastModifiedTime(file.toPath(), FileTime.from(Instant.now().minus(ago)))
}

def entry(String key, String name, int bytes, Duration ago) {
    File dir = new File(cache, "store/" + key.multiply(32) + "-" + name)
    dir.mkdirs()
    new File(dir, "data").bytes = new byte[bytes]
    File manifest = new File(dir, ".manifest")
    manifest.text = "vmforge-store-entry 1\n"
    touch(manifest, ago)
}

def deb(String sha, int bytes, Duration ago) {
    File file = new File(cache, "debs/" + sha.multiply(64) + ".deb")
    file.parentFile.mkdirs()
    file.bytes = new byte[bytes]
    touch(file, ago)
}

entry("a", "configured", 3 << 20, Duration.ofDays(45))   // unused for 45 days: goes
entry("b", "configured", 1 << 20, Duration.ofDays(3))    // used before the last goal: goes with 0 days
entry("c", "builder", 2 << 20, Duration.ofDays(1))       // used by the last goal: stays
deb("1", 1 << 20, Duration.ofDays(40))                   // goes
deb("2", 1 << 20, Duration.ofDays(1))                    // used by the last goal: stays
File builds = new File(cache, "builds")
builds.mkdirs()
new File(builds, "4242-1-" + now.minus(Duration.ofDays(2)).toEpochMilli()).text = ""
return true
