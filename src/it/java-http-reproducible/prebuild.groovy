// Round 2's cache: a store of its own, with the shared cache's downloads (packages, indices) linked in.
String shared = new File(basedir, "pom.xml").text.find(/<repro.sharedCache>([^<]+)</) { all, dir -> dir }
assert shared != null && !shared.contains("@"): "the POM's repro.sharedCache was not filtered"
File cache = new File(basedir, "cache-2")
cache.mkdirs()
for (String downloads : ["debs", "indices", "releases"]) {
    File target = new File(shared, downloads)
    target.mkdirs()
    java.nio.file.Files.createSymbolicLink(new File(cache, downloads).toPath(), target.toPath())
}
return true
