package dev.vmforge.mojo;

import dev.vmforge.gc.CacheCollector;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Removes from the shared cache (store entries, downloaded packages, parsed indices, resolutions) what no build
 * has used for {@code vm.gc.days} days, and reports what it freed. What the last build used stays, as does what
 * a running build uses. Needs no project: {@code mvn dev.vmforge:vm-maven-plugin:gc}, or {@code mvn vm:gc} where
 * the plugin group is known. A project's own {@code target/vm/store} is tidied after each goal, and by
 * {@code mvn clean}.
 */
@Mojo(name = "gc", requiresProject = false, aggregator = true, threadSafe = true)
public class GcMojo extends AbstractMojo {
    /** Entries no build used for this many days are removed (0: all but the last build's and running ones'). */
    @Parameter(property = "vm.gc.days", defaultValue = "30")
    private int days;

    /**
     * The cache to clean. Default: {@code $XDG_CACHE_HOME/vm-maven-plugin}, else {@code ~/.cache/vm-maven-plugin}.
     */
    @Parameter(property = "vm.cacheDirectory")
    private File cacheDirectory;

    /** Skips the goal. */
    @Parameter(property = "vm.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping (vm.skip=true)");
            return;
        }
        if (days < 0) {
            throw new MojoFailureException("vm.gc.days is " + days + "; give a number of days, 0 or more (default 30)");
        }
        Path cache = CacheLocation.of(cacheDirectory);
        if (!Files.isDirectory(cache)) {
            getLog().info("No cache at " + cache + ": nothing to remove");
            return;
        }
        getLog().info("Removing from " + cache + " what no build used in the last " + days + " day"
                + (days == 1 ? "" : "s") + " (the last build's and running builds' entries stay)");
        try {
            CacheCollector.Report report = new CacheCollector(cache, new MavenBuildLog(getLog()))
                    .collect(Duration.ofDays(days), Instant.now());
            report.lines().forEach(getLog()::info);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot clean the cache " + cache + ": " + e.getMessage(), e);
        }
    }
}
