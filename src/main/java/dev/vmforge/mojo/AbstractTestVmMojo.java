package dev.vmforge.mojo;

import org.apache.maven.plugins.annotations.Parameter;

/** vm:start and vm:stop: the VM is there for the integration tests, so it is skipped when they are, as failsafe. */
abstract class AbstractTestVmMojo extends AbstractVmMojo {
    /** Skips the goal, as failsafe skips the integration tests. */
    @Parameter(property = "skipITs", defaultValue = "false")
    private boolean skipITs;

    /** Skips the goal, as the tests are skipped. */
    @Parameter(property = "skipTests", defaultValue = "false")
    private boolean skipTests;

    /** Skips the goal, as the tests are not even compiled. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean mavenTestSkip;

    /** True, after saying so, when the tests are skipped. */
    protected boolean testsSkipped() {
        if (skipITs || skipTests || mavenTestSkip) {
            getLog().info("Skipping: the integration tests are skipped (skipITs, skipTests or maven.test.skip)");
            return true;
        }
        return false;
    }
}
