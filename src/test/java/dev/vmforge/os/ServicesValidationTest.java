package dev.vmforge.os;

import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.ServiceConfig;
import dev.vmforge.os.pom.UserConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ServicesValidationTest {
    @TempDir
    Path base;
    private final OperatingSystemConfig c = new OperatingSystemConfig();

    private List<Service> read() {
        return reader(base).readOperatingSystem(c).services();
    }

    private ServiceConfig service(String name, String command) {
        ServiceConfig s = new ServiceConfig();
        s.name = name;
        s.command = command;
        c.services.add(s);
        return s;
    }

    @Test
    void keepsGivenValues() {
        UserConfig app = new UserConfig();
        app.name = "app";
        c.users.add(app);
        ServiceConfig s = service("web.http", "java -jar /opt/app/app.jar");
        s.user = "app";
        s.workingDirectory = "/opt/app/";
        s.environment = new LinkedHashMap<>(Map.of("JAVA_OPTS", "-Xmx64m"));
        s.restart = "On-Failure";
        assertEquals(new Service("web.http", "java -jar /opt/app/app.jar", "app", "/opt/app",
                Map.of("JAVA_OPTS", "-Xmx64m"), Service.Restart.ON_FAILURE), read().get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody", "daemon", "www-data", "root"})
    void debianSystemAccountsNeedNoDeclaration(String user) {
        service("hello", "true").user = user;
        assertEquals(user, read().get(0).user());
    }

    @Test
    void nameIsRequired() {
        service(null, "true");
        assertInvalid("operatingSystem/services/service[1]/name", "give the service a name", this::read);
    }

    @Test
    void commandIsRequired() {
        service("hello", "  ");
        assertInvalid("operatingSystem/services/service[1]/command", "write the command line to run", this::read);
    }

    @Test
    void commandIsOneLine() {
        service("hello", "echo a\necho b");
        assertInvalid("operatingSystem/services/service[1]/command", "on one line", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"my service", "a/b", "..", "é"})
    void nameMustBeUsableAsAFileName(String name) {
        service(name, "true");
        assertInvalid("operatingSystem/services/service[1]/name", "it becomes a file name", this::read);
    }

    @Test
    void duplicateNameIsRefused() {
        service("hello", "true");
        service("hello", "false");
        assertInvalid("operatingSystem/services/service[2]/name", "give each service a distinct name", this::read);
    }

    @Test
    void unknownUserIsRefused() {
        service("hello", "true").user = "postgres";
        assertInvalid("operatingSystem/services/service[1]/user", "declare it in <users>", this::read);
    }

    @Test
    void workingDirectoryMustBeAbsolute() {
        service("hello", "true").workingDirectory = "opt";
        assertInvalid("operatingSystem/services/service[1]/workingDirectory", "write an absolute path", this::read);
    }

    @Test
    void environmentNameIsChecked() {
        service("hello", "true").environment = Map.of("1BAD", "x");
        assertInvalid("operatingSystem/services/service[1]/environment/1BAD", "e.g. JAVA_OPTS", this::read);
    }

    @Test
    void environmentValueIsOneLine() {
        service("hello", "true").environment = Map.of("GREETING", "a\nb");
        assertInvalid("operatingSystem/services/service[1]/environment/GREETING", "on one line", this::read);
    }

    @Test
    void restartListsTheAllowedValues() {
        service("hello", "true").restart = "sometimes";
        assertInvalid("operatingSystem/services/service[1]/restart", "use one of always, on-failure, never", this::read);
    }
}
