package dev.asyncprod.server.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * {@code --help}'s list of flags: one section per {@link OptionGroup}, in the order the command
 * declares its mixins, each flag followed by its built-in default and environment twin. Every
 * section shares the column widths fitted to all flags, so they line up as one list. A flag outside
 * every group would not show: {@code ConfigurationPageTest} checks that there is none.
 */
final class GroupedHelp implements CommandLine.IHelpSectionRenderer {

    private static final String NL = System.lineSeparator();

    private GroupedHelp() {
    }

    /** Replaces {@code cli}'s flat option list (and its {@code Options:} heading) with the grouped one. */
    static CommandLine install(CommandLine cli) {
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, new GroupedHelp());
        return cli;
    }

    @Override
    public String render(Help help) {
        Help.Layout fitted = help.createDefaultLayout();
        StringBuilder out = new StringBuilder();
        for (CommandSpec mixin : help.commandSpec().mixins().values()) {
            // The one mixin that is not a group is picocli's own: --help and --version.
            String heading = mixin.userObject() instanceof OptionGroup group ? group.heading() : "Help";
            Help.Layout section = new Help.Layout(help.colorScheme(),
                    Help.TextTable.forColumns(help.colorScheme(), fitted.textTable().columns()),
                    withDefaultAndEnv(help.createDefaultOptionRenderer()), fitted.parameterRenderer());
            section.addOptions(mixin.options(), help.createDefaultParamLabelRenderer());
            out.append(NL).append(heading).append(':').append(NL).append(section);
        }
        return out.toString();
    }

    /** picocli's rendering of a flag, plus a last line: {@code Default: 8080; env PORT}. */
    private static Help.IOptionRenderer withDefaultAndEnv(Help.IOptionRenderer plain) {
        return (option, labels, scheme) -> {
            Text[][] rows = plain.render(option, labels, scheme);
            Optional<EnvDefault> twin = EnvDefault.of(option);
            if (twin.isEmpty()) {
                return rows;
            }
            List<Text[]> all = new ArrayList<>(Arrays.asList(rows));
            Text empty = scheme.text("");
            all.add(new Text[] {empty, empty, empty, empty,
                    scheme.text("  Default: " + twin.get().shown() + "; env " + twin.get().variable())});
            return all.toArray(Text[][]::new);
        };
    }
}
