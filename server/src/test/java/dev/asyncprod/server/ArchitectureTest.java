package dev.asyncprod.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The map is the rule: ARCHITECTURE.md's table of server packages ("may import") is read here and
 * checked over the compiled classes, so a wrong import fails the build and the table cannot drift
 * from the code. A room may use another room only if its row names it; a name in parentheses after
 * a room, such as {@code `http` (`Cancellation`)}, narrows that to the classes named.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArchitectureTest {

    static final String SERVER = "dev.asyncprod.server";
    static final String ROOT_ROOM = "(root)";
    static final Path MAP = Path.of(System.getProperty("repo.root", "..")).resolve("ARCHITECTURE.md");

    static JavaClasses classes;
    static Map<String, Allowed> rooms;

    /** What one room may use: every room in {@code whole}, and only the named classes of a room in {@code narrowed}. */
    record Allowed(boolean everything, Set<String> whole, Map<String, Set<String>> narrowed) {

        boolean permits(String room, String topLevelClass) {
            if (everything || whole.contains(room)) {
                return true;
            }
            Set<String> named = narrowed.get(room);
            return named != null && named.contains(topLevelClass);
        }
    }

    @BeforeAll
    static void readTheMapAndTheCode() throws IOException {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(SERVER);
        rooms = readRooms(Files.readString(MAP));
    }

    @Test
    void everyPackageIsARoomOnTheMapAndEveryRoomOnTheMapExists() {
        Set<String> inCode = classes.stream().map(c -> roomOf(c.getPackageName()))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(rooms.keySet()).as("rooms in %s's server packages table", MAP).containsExactlyInAnyOrderElementsOf(inCode);
    }

    @Test
    void everyRoomImportsOnlyWhatTheMapAllows() {
        for (Map.Entry<String, Allowed> room : rooms.entrySet()) {
            if (room.getValue().everything()) {
                continue;
            }
            ruleFor(room.getKey(), room.getValue()).check(classes);
        }
    }

    @Test
    void theRuleCatchesAnImportTheMapDoesNotAllow() {
        // The rule checked against a map that forbids what the code does: the transport room uses http.
        Allowed withoutHttp = new Allowed(false, Set.of("config", "ops"), Map.of());

        assertThat(ruleFor("transport", withoutHttp).evaluate(classes).hasViolation()).isTrue();
    }

    static ArchRule ruleFor(String room, Allowed allowed) {
        DescribedPredicate<JavaClass> forbidden = DescribedPredicate.describe(
                "are in another server room its row of " + MAP.getFileName() + " does not name",
                target -> isServerClass(target)
                        && !roomOf(target.getPackageName()).equals(room)
                        && !allowed.permits(roomOf(target.getPackageName()), topLevelName(target)));
        return noClasses().that().resideInAPackage(packagePattern(room))
                .should().dependOnClassesThat(forbidden)
                .because("the rooms table of ARCHITECTURE.md says what `" + room + "` may import");
    }

    /**
     * The rows of the table whose header is {@code | package | what | may import |}: the first
     * column's backticked name (or {@code (root)}), and the backticked names of the last column.
     */
    static Map<String, Allowed> readRooms(String map) {
        Map<String, Allowed> result = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : map.lines().toList()) {
            if (line.startsWith("| package |") && line.contains("may import")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            List<String> cells = List.of(line.split("\\|"));
            String name = cells.get(1).strip().replace("`", "");
            String mayImport = cells.get(cells.size() - 1).strip();
            result.put(name, parseAllowed(mayImport));
        }
        assertThat(result).as("the server packages table in %s", MAP).isNotEmpty();
        return result;
    }

    private static final Pattern ROOM_WITH_CLASSES = Pattern.compile("`([a-z]+)`(\\s*\\(([^)]*)\\))?");
    private static final Pattern CLASS = Pattern.compile("`([A-Z][A-Za-z0-9]*)`");

    static Allowed parseAllowed(String cell) {
        if (cell.startsWith("everything")) {
            return new Allowed(true, Set.of(), Map.of());
        }
        Set<String> whole = new TreeSet<>();
        Map<String, Set<String>> narrowed = new LinkedHashMap<>();
        Matcher room = ROOM_WITH_CLASSES.matcher(cell);
        while (room.find()) {
            Set<String> named = new TreeSet<>();
            if (room.group(3) != null) {
                CLASS.matcher(room.group(3)).results().forEach(m -> named.add(m.group(1)));
            }
            if (named.isEmpty()) {
                whole.add(room.group(1));
            } else {
                narrowed.put(room.group(1), named);
            }
        }
        return new Allowed(false, whole, narrowed);
    }

    static String roomOf(String packageName) {
        if (packageName.equals(SERVER)) {
            return ROOT_ROOM;
        }
        String rest = packageName.substring(SERVER.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static String packagePattern(String room) {
        return room.equals(ROOT_ROOM) ? SERVER : SERVER + "." + room + "..";
    }

    static boolean isServerClass(JavaClass c) {
        return c.getPackageName().equals(SERVER) || c.getPackageName().startsWith(SERVER + ".");
    }

    /** {@code Outer} for {@code Outer$Inner}: the map names top-level classes. */
    static String topLevelName(JavaClass c) {
        String simple = c.getName().substring(c.getPackageName().length() + 1);
        int dollar = simple.indexOf('$');
        return dollar < 0 ? simple : simple.substring(0, dollar);
    }
}
