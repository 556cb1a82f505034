package dev.asyncprod.server.config;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps {@code docs/configuration.md} what the flags say: fails when it differs, naming the command
 * that rewrites it ({@link ConfigurationPage#REGENERATE}), which is this test with {@code -Ddocs.regenerate=true}.
 */
@Timeout(value = 60, unit = SECONDS)
class ConfigurationPageTest {

    private static final CommandSpec COMMAND = ServerCommand.newCommandLine(new ServerCommand()).getCommandSpec();

    @Test
    void thePageIsWhatTheFlagsSay() throws IOException {
        Path page = repositoryRoot().resolve("docs/configuration.md");
        String wanted = ConfigurationPage.render(COMMAND);
        if (Boolean.getBoolean("docs.regenerate")) {
            Files.createDirectories(page.getParent());
            Files.writeString(page, wanted);
            return;
        }
        String found = Files.exists(page) ? Files.readString(page) : "";
        assertThat(found).withFailMessage("%s differs from the flags (%s); regenerate it:%n  %s",
                page, firstDifference(found, wanted), ConfigurationPage.REGENERATE).isEqualTo(wanted);
    }

    @Test
    void everyFlagBelongsToOneGroupAndHasItsEnvTwinNamedAfterIt() {
        List<OptionSpec> grouped = ConfigurationPage.groupsOf(COMMAND).stream()
                .flatMap(group -> group.options().stream()).toList();

        assertThat(grouped).doesNotHaveDuplicates();
        assertThat(COMMAND.options()).filteredOn(o -> !o.usageHelp() && !o.versionHelp())
                .containsExactlyInAnyOrderElementsOf(grouped);
        for (OptionSpec option : grouped) {
            String expected = option.longestName().substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
            assertThat(EnvDefault.of(option)).as(option.longestName())
                    .hasValueSatisfying(twin -> assertThat(twin.variable()).isEqualTo(expected));
            assertThat(String.join(" ", option.description())).as(option.longestName())
                    .isNotBlank().doesNotContain("(env ");
        }
    }

    private static String firstDifference(String found, String wanted) {
        String[] a = found.split("\n", -1);
        String[] b = wanted.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String has = i < a.length ? a[i] : "<end of file>";
            String should = i < b.length ? b[i] : "<end of file>";
            if (!has.equals(should)) {
                return "line " + (i + 1) + ": found '" + has + "', the flags give '" + should + "'";
            }
        }
        return "no line differs";
    }

    /** The folder holding {@code mvnw}: the test may run from the module or from the root. */
    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath() + ": where is the repository?");
        }
        return dir;
    }
}
