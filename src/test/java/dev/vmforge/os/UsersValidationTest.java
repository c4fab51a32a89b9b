package dev.vmforge.os;

import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.UserConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UsersValidationTest {
    @TempDir
    Path base;
    private final OperatingSystemConfig c = new OperatingSystemConfig();

    private List<User> read() {
        return reader(base).readOperatingSystem(c).users();
    }

    private UserConfig user(String name, Integer uid) {
        UserConfig u = new UserConfig();
        u.name = name;
        u.uid = uid;
        c.users.add(u);
        return u;
    }

    @Test
    void keepsGivenValues() {
        UserConfig u = user("app", 2000);
        u.gid = 100;
        u.home = "/srv/app/";
        u.shell = "/bin/bash";
        u.groups = List.of("audio", "video", "audio");
        assertEquals(List.of(new User("app", 2000, 100, "/srv/app", "/bin/bash", List.of("audio", "video"))), read());
    }

    @ParameterizedTest
    @ValueSource(strings = {"App", "1app", "app user", "app$x", "a23456789012345678901234567890123"})
    void nameFollowsAdduserRules(String name) {
        user("ok", null);
        user(name, null);
        assertInvalid("operatingSystem/users/user[2]/name", "lower-case letters, digits, '_' and '-'", this::read);
    }

    @Test
    void machineAccountDollarIsAccepted() {
        user("host$", null);
        assertEquals("host$", read().get(0).name());
    }

    @Test
    void nameIsRequired() {
        user(null, 1000);
        assertInvalid("operatingSystem/users/user[1]/name", "write an account name such as app", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "nobody", "www-data"})
    void systemAccountsCannotBeDeclared(String name) {
        user(name, null);
        assertInvalid("operatingSystem/users/user[1]/name", "choose another name", this::read);
    }

    @Test
    void duplicateNameIsRefused() {
        user("app", 1000);
        user("app", 1001);
        assertInvalid("operatingSystem/users/user[2]/name", "already used by user[1]; give each user a distinct name",
                this::read);
    }

    @Test
    void duplicateUidIsRefused() {
        user("app", 1500);
        user("web", 1000);
        user("db", 1500);
        assertInvalid("operatingSystem/users/user[3]/uid", "already used by user[1]; give each user a distinct uid",
                this::read);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 99, 65534, 65535, -1})
    void uidOutsideTheUserRangeIsRefused(int uid) {
        user("app", uid);
        assertInvalid("operatingSystem/users/user[1]/uid", "must be between 100 and 65533", this::read);
    }

    @Test
    void gidOutOfRangeIsRefused() {
        user("app", 1000).gid = 70000;
        assertInvalid("operatingSystem/users/user[1]/gid", "must be between 0 and 65534", this::read);
    }

    @Test
    void homeMustBeAbsolute() {
        user("app", null).home = "home/app";
        assertInvalid("operatingSystem/users/user[1]/home", "write an absolute path", this::read);
    }

    @Test
    void homeMustNotContainDotDot() {
        user("app", null).home = "/home/../etc";
        assertInvalid("operatingSystem/users/user[1]/home", "without '..' segments", this::read);
    }

    @Test
    void shellMustBeAbsolute() {
        user("app", null).shell = "bash";
        assertInvalid("operatingSystem/users/user[1]/shell", "e.g. /bash", this::read);
    }

    @Test
    void supplementaryGroupNamesAreChecked() {
        user("app", null).groups = List.of("audio", "Video Group");
        assertInvalid("operatingSystem/users/user[1]/groups/group[2]", "lower-case letters", this::read);
    }
}
