// vm:gc removed what no build used for 30 days, then (0 days) all but the last build's, and said so.
File cache = new File(basedir, "target/gc-cache")
def exists = { String path -> new File(cache, path).exists() }

assert !exists("store/" + "a" * 32 + "-configured"): "45 days unused: removed by the first run"
assert !exists("debs/" + "1" * 64 + ".deb")
assert !exists("store/" + "b" * 32 + "-configured"): "used before the last build: removed with -Dvm.gc.days=0"
assert exists("store/" + "c" * 32 + "-builder"): "used by the last build: kept"
assert exists("debs/" + "2" * 64 + ".deb")

String log = new File(basedir, "build.log").text
assert log.contains("what no build used in the last 30 days"): log
assert log =~ /store entries +1 removed +3\.0 MiB +2 kept +3\.0 MiB/: log
assert log =~ /packages \(\.deb\) +1 removed +1\.0 MiB +1 kept +1\.0 MiB/: log
assert log.contains("Freed 4.0 MiB"): log
assert log.contains("what no build used in the last 0 days"): log
assert log =~ /store entries +1 removed +1\.0 MiB +1 kept +2\.0 MiB/: log
return true
