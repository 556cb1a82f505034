import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the last build's tests did, from Surefire's and Failsafe's XML reports: how many ran, and
 * every test that skipped with the reason it gave (a missing tool, mostly). With --no-skips it
 * fails when any test skipped: CI installs every tool, so there a skip is a test that did not run.
 *
 *   bin/java .ci/TestReport.java [--no-skips] [ROOT]
 */
public class TestReport {

    record Skip(String test, String reason) {
    }

    public static void main(String[] args) throws Exception {
        boolean noSkips = List.of(args).contains("--no-skips");
        Path root = Path.of(Stream.of(args).filter(a -> !a.startsWith("--")).findFirst().orElse("."));
        List<Path> reports;
        try (Stream<Path> files = Files.find(root, 5, (p, a) -> p.getFileName().toString().matches("TEST-.*\\.xml")
                && p.getParent().getFileName().toString().matches("(surefire|failsafe)-reports"))) {
            reports = files.sorted().toList();
        }
        int ran = 0;
        List<Skip> skips = new ArrayList<>();
        for (Path report : reports) {
            NodeList cases = parse(report).getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                NodeList skipped = testCase.getElementsByTagName("skipped");
                if (skipped.getLength() == 0) {
                    ran++;
                } else {
                    String reason = ((Element) skipped.item(0)).getAttribute("message");
                    skips.add(new Skip(testCase.getAttribute("classname") + "." + testCase.getAttribute("name"),
                            reason.isBlank() ? "(no reason given)" : reason));
                }
            }
        }
        System.out.printf("tests: %d ran, %d skipped (%d reports under %s)%n", ran, skips.size(), reports.size(), root);
        skips.forEach(s -> System.out.printf("  skipped %s: %s%n", s.test(), s.reason()));
        if (reports.isEmpty()) {
            System.out.println("no test reports: did the build run its tests?");
            System.exit(1);
        }
        if (noSkips && !skips.isEmpty()) {
            System.out.println("CI installs every tool the tests use (docker/ci-setup.sh): a skip here is a test that did not run.");
            System.exit(1);
        }
    }

    static org.w3c.dom.Document parse(Path report) throws Exception {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read " + report + ": " + e.getMessage(), e);
        }
    }
}
