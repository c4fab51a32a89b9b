// Substitutes between two machines through Debian's docker-registry on 127.0.0.1 (htpasswd): machine A (the ITs'
// shared cache) builds java-http's disk image and Docker image and publishes its substitutable outputs, signed;
// machine B (an empty cache, a clean target/) builds the same project: no builder VM starts, everything heavy is
// substituted, and its image and Docker tarball are byte-identical to A's. Then vm:challenge on B builds each
// substitutable output locally and finds no mismatch. The registry is stopped at the end whatever happens.
import dev.vmforge.it.MavenRuns
import dev.vmforge.it.TestRegistry
import dev.vmforge.substitute.TestKeys

String pom = new File(basedir, "pom.xml").text
int port = pom.find(/<substitutes.port>(\d+)</) { all, p -> p } as int
String sharedCache = pom.find(/<substitutes.sharedCache>([^<]+)</) { all, d -> d }
assert sharedCache != null && !sharedCache.contains("@"): "the POM's substitutes.sharedCache was not filtered"
File work = new File(basedir, "it-work") // outside target/, which is cleaned between the machines
work.deleteDir() // a run before this one (the invoker does not empty the clone) left its registry and outputs
new File(basedir, "target").deleteDir()
work.mkdirs()
String password = "it-Pa55-" + UUID.randomUUID().toString().substring(0, 8)
String passphrase = "it-passphrase-" + UUID.randomUUID().toString().substring(0, 8)

// the trusted key pair: the public key where the POM's <trustedKey> points, the secret one outside the project
TestKeys keys = TestKeys.generate(new File(work, "keys").toPath(), "trusted", passphrase)
new File(basedir, "keys").mkdirs()
new File(basedir, "keys/trusted.gpg").bytes = keys.publicKey().toFile().bytes

MavenRuns maven = MavenRuns.create(basedir.toPath(), work.toPath(), localRepositoryPath.toString(),
        "127.0.0.1:${port}", "alice", password, passphrase)

String sha256(File f) {
    dev.vmforge.Sha256.ofFile(f.toPath())
}

File target = new File(basedir, "target")
File image = new File(target, "java-http-1.0.0.qcow2")
File tarball = new File(target, "java-http-1.0.0-docker.tar")
List goals = ["package", "vm:build-image", "vm:build-docker-image"]

def registry = TestRegistry.start(new File(work, "registry").toPath(), port, [alice: password])
try {
    // machine A: builds (or finds in the shared cache) and publishes
    String a = maven.run("machine-a", goals + ["-Dvm.cacheDirectory=" + sharedCache, "-Dvm.substitutes.publish=true",
                                               "-Dvm.substitutes.signingKey=" + keys.secret()].collect { it.toString() })
    ["builder", "configured", "rootfs", "system-image", "system-layer"].each { name ->
        assert a =~ /(Published ${name} [0-9a-f]{32} to 127.0.0.1:${port}\/vmforge-it\/vm-cache, signed by [0-9A-F]{16}|  ${name} [0-9a-f]{32}: already in)/:
                "machine A did not publish ${name}:\n${a}"
    }
    String imageA = sha256(image)
    String tarballA = sha256(tarball)
    target.deleteDir()

    // machine B: an empty cache, a clean target/
    File cacheB = new File(basedir, "cache-b")
    cacheB.deleteDir()
    String b = maven.run("machine-b", goals + ["-Dvm.cacheDirectory=" + cacheB])
    assert !b.contains("builder VM '"): "machine B started a builder VM:\n${b}"
    assert !b.contains("Refused") && !b.contains("No substitute"): b
    assert b =~ /System disk image +substituted from 127.0.0.1:${port}\/vmforge-it\/vm-cache, signed by [0-9A-F]{16}/: b
    assert b =~ /substituted from .*vm-cache/: b
    assert sha256(image) == imageA: "machine B's disk image differs from machine A's"
    assert sha256(tarball) == tarballA: "machine B's Docker tarball differs from machine A's"
    println "[verify] machine B: disk image ${imageA} and Docker tarball ${tarballA}, as machine A's, no builder VM"

    // vm:challenge on B: every substitutable output built here again (the packages A downloaded are linked in, to
    // spare the archive), then compared with the registry's
    File debs = new File(cacheB, "debs")
    debs.deleteDir()
    java.nio.file.Files.createSymbolicLink(debs.toPath(), new File(sharedCache, "debs").toPath())
    String challenge = maven.run("challenge-b", ["package", "vm:challenge", "-Dvm.cacheDirectory=" + cacheB])
    assert challenge =~ /Challenge: [5-9] outputs as the registry's, 0 mismatches, 0 not in the registry/: challenge
    assert challenge.contains("builder VM '"): "vm:challenge built nothing:\n${challenge}"
} finally {
    registry.close()
}
return true
