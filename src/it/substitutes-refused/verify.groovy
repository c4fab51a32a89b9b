// Substitutes that are refused, each with a warning naming why, and a local build whose image is byte-identical to
// the publisher's: (1) signed by a key that is not among <trustedKeys> (the warning names its key id), (2) the
// system image's blob altered in the registry's storage (the download fails its digest), (3) the registry down.
// The publisher uses the ITs' shared cache; each refusing build a cache of its own with the downloads linked in.
import dev.vmforge.it.MavenRuns
import dev.vmforge.it.TestRegistry
import dev.vmforge.substitute.SigningKey
import dev.vmforge.substitute.TestKeys

String pom = new File(basedir, "pom.xml").text
int port = pom.find(/<substitutes.port>(\d+)</) { all, p -> p } as int
String sharedCache = pom.find(/<substitutes.sharedCache>([^<]+)</) { all, d -> d }
assert sharedCache != null && !sharedCache.contains("@"): "the POM's substitutes.sharedCache was not filtered"
File work = new File(basedir, "it-work")
work.deleteDir() // a run before this one (the invoker does not empty the clone) left its registry and outputs
new File(basedir, "target").deleteDir()
work.mkdirs()
String password = "it-Pa55-" + UUID.randomUUID().toString().substring(0, 8)
String passphrase = "it-passphrase-" + UUID.randomUUID().toString().substring(0, 8)

TestKeys trusted = TestKeys.generate(new File(work, "keys").toPath(), "trusted", passphrase)
TestKeys stranger = TestKeys.generate(new File(work, "keys").toPath(), "stranger", passphrase)
String strangerId = SigningKey.load(stranger.secret(), passphrase.toCharArray()).keyId()
new File(basedir, "keys").mkdirs()
new File(basedir, "keys/trusted.gpg").bytes = trusted.publicKey().toFile().bytes

MavenRuns maven = MavenRuns.create(basedir.toPath(), work.toPath(), localRepositoryPath.toString(),
        "127.0.0.1:${port}", "alice", password, passphrase)

String sha256(File f) {
    dev.vmforge.Sha256.ofFile(f.toPath())
}

File target = new File(basedir, "target")
File image = new File(target, "substitutes-refused-1.0.0.qcow2")
String repo = "127.0.0.1:${port}/vmforge-it/"

String reference // the publisher's image: every local build must give the same bytes

// an empty cache with the publisher's downloads linked in, and a clean target/
def machine = { String name ->
    target.deleteDir()
    File cache = new File(basedir, name)
    cache.deleteDir()
    cache.mkdirs()
    for (String downloads : ["debs", "indices", "releases"]) {
        File shared = new File(sharedCache, downloads)
        shared.mkdirs()
        java.nio.file.Files.createSymbolicLink(new File(cache, downloads).toPath(), shared.toPath())
    }
    return "-Dvm.cacheDirectory=" + cache
}
def localBuild = { String out, String what ->
    assert out.contains("builder VM 'build-image"): "${what}: no local build of the system image:\n${out}"
    assert sha256(image) == reference: "${what}: the image built here differs from the publisher's"
}

def registry = TestRegistry.start(new File(work, "registry").toPath(), port, [alice: password])
String diskDigest
try {
    // the publisher: one repository signed by the stranger (every substitutable output), one by the trusted key
    // (the system image: the goal finds it in the store and goes no further)
    String published = maven.run("publish-stranger", ["vm:build-image", "-Dvm.cacheDirectory=" + sharedCache, "-Dvm.substitutes.publish=true",
                            "-Dvm.substitutes.registry=${repo}stranger", "-Dvm.substitutes.signingKey=" + stranger.secret()].collect { it.toString() })
    assert published =~ /(Published|already in).*system-image|system-image.*(Published|already in)/: published
    reference = sha256(image)
    // with the image in target/ up to date the goal would offer every stored output; without it the goal goes through
    // the store, whose system image entry is up to date (its inputs are not visited): the only one published
    assert image.delete()
    String trustedLog = maven.run("publish-trusted", ["vm:build-image", "-Dvm.cacheDirectory=" + sharedCache, "-Dvm.substitutes.publish=true",
         "-Dvm.substitutes.registry=${repo}trusted", "-Dvm.substitutes.signingKey=" + trusted.secret()].collect { it.toString() })
    assert trustedLog =~ /Published system-image [0-9a-f]{32} to ${repo}trusted/: trustedLog
    File entry = new File(target, "vm/store").listFiles().find { it.name.endsWith("-system-image") }
    String diskLine = new File(entry, ".manifest").readLines().find { it.endsWith(" disk.qcow2") }
    diskDigest = diskLine.split(" ")[2]

    // 1. signed by a key that is not trusted
    String untrusted = maven.run("untrusted", ["vm:build-image", machine("cache-untrusted"), "-Dvm.substitutes.registry=${repo}stranger"].collect { it.toString() })
    assert untrusted =~ /WARNING.*Refused the substitute of system-image [0-9a-f]{32} from ${repo}stranger: signed by key ${strangerId}, which is not among the trusted keys/: untrusted
    localBuild(untrusted, "untrusted key")

    // 2. the system image's blob altered in the registry's storage
    File blob = new File(work, "registry/storage/docker/registry/v2/blobs/sha256/${diskDigest.substring(0, 2)}/${diskDigest}/data")
    assert blob.isFile(): "the registry does not store the disk as ${blob}"
    new RandomAccessFile(blob, "rw").withCloseable { f ->
        f.seek(f.length() / 2 as long)
        int b = f.read()
        f.seek(f.length() / 2 as long)
        f.write(b ^ 0xff)
    }
    String altered = maven.run("altered", ["vm:build-image", machine("cache-altered"), "-Dvm.substitutes.registry=${repo}trusted"].collect { it.toString() })
    assert altered =~ /WARNING.*Cannot use the substitute of system-image [0-9a-f]{32} from ${repo}trusted: .*${diskDigest.substring(0, 12)}/: altered
    localBuild(altered, "altered blob")
} finally {
    registry.close()
}

// 3. the registry is down
String down = maven.run("down", ["vm:build-image", machine("cache-down"), "-Dvm.substitutes.registry=${repo}trusted"].collect { it.toString() })
assert down =~ /WARNING.*Substitutes: registry 127.0.0.1:${port} cannot be reached/: down
localBuild(down, "registry down")
println "[verify] untrusted key ${strangerId}, altered blob ${diskDigest}, registry down: each refused, each image ${reference}"
return true
