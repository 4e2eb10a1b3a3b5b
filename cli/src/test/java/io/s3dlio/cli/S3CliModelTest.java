package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The model of one subcommand alone (what a command line naming it runs on, to start faster) against the whole
 * model: the same options, parameters and help, and the whole model wherever the one alone could differ.
 */
class S3CliModelTest {
    private final ObjectStores stores = ObjectStores.create(ConfigSource.of(Map.of()));
    private final PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    private final CliEnvironment env = new CliEnvironment(stores, ConfigSource.of(Map.of()), discard, discard,
            CliEnvironment.Terminal.NOT_INTERACTIVE);

    @AfterEach
    void close() throws Exception {
        stores.close();
    }

    @Test
    void theScanKnowsEveryRootOptionThatCanComeBeforeASubcommand() {
        CommandLine whole = S3Cli.newCommandLine(new S3Cli(env));
        List<String> withValue = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (OptionSpec option : whole.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue; // the root's help and version: the whole model, always
            }
            (option.arity().max() > 0 ? withValue : flags).addAll(List.of(option.names()));
        }
        assertThat(withValue).containsExactlyInAnyOrderElementsOf(S3Cli.ROOT_OPTIONS_WITH_VALUE);
        assertThat(flags).containsExactlyInAnyOrderElementsOf(S3Cli.ROOT_FLAGS);
    }

    @Test
    void eachSubcommandAloneHasTheModelAndHelpItHasInTheWhole() {
        CommandLine whole = S3Cli.newCommandLine(new S3Cli(env));
        java.util.Set<Class<?>> alone = new java.util.HashSet<>();
        for (Map.Entry<String, CommandLine> entry : whole.getSubcommands().entrySet()) {
            String name = entry.getKey();
            Class<?> sole = S3Cli.soleSubcommand("--endpoint-url", "http://127.0.0.1:1", "-vv", "--json", name, "x");
            if (name.equals("help") || name.equals("completion")) {
                assertThat(sole).as(name).isNull(); // they read the whole model
                continue;
            }
            assertThat(sole).as(name).isEqualTo(entry.getValue().getCommandSpec().userObject().getClass());
            CommandLine one = S3Cli.newCommandLine(new S3Cli(env), sole);
            assertThat(one.getSubcommands()).as(name).containsKey(name).hasSize(1 + entry.getValue().getCommandSpec().aliases().length);
            CommandLine sub = one.getSubcommands().get(name);
            assertThat(sub.getUsageMessage(CommandLine.Help.Ansi.OFF)).as(name)
                    .isEqualTo(entry.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertThat(optionNames(sub)).as(name).isEqualTo(optionNames(entry.getValue()));
            alone.add(sole);
        }
        assertThat(alone).hasSize(S3Cli.SUBCOMMANDS.size() - 2); // names and aliases (rm, mb, rb) of all but two
    }

    @Test
    void onlyCommandLinesThatTheOneModelParsesAsTheWholeUseIt() {
        assertThat(S3Cli.soleSubcommand("stat", "s3://b/k")).isEqualTo(StatCommand.class);
        assertThat(S3Cli.soleSubcommand("rm", "s3://b/k")).isEqualTo(DeleteCommand.class);
        assertThat(S3Cli.soleSubcommand("--region=eu-west-1", "-v", "--verbose", "ls", "s3://b/")).isEqualTo(LsCommand.class);
        // an option's value that is a command's name is the value, not the command
        assertThat(S3Cli.soleSubcommand("--profile", "stat", "ls", "s3://b/")).isEqualTo(LsCommand.class);
        assertThat(S3Cli.soleSubcommand()).isNull();
        assertThat(S3Cli.soleSubcommand("--help")).isNull();
        assertThat(S3Cli.soleSubcommand("-h", "stat")).isNull();
        assertThat(S3Cli.soleSubcommand("--version")).isNull();
        assertThat(S3Cli.soleSubcommand("help", "stat")).isNull();
        assertThat(S3Cli.soleSubcommand("completion")).isNull();
        assertThat(S3Cli.soleSubcommand("--bogus", "stat", "s3://b/k")).isNull();
        assertThat(S3Cli.soleSubcommand("-vx", "stat", "s3://b/k")).isNull();
        assertThat(S3Cli.soleSubcommand("@args.txt")).isNull();
        assertThat(S3Cli.soleSubcommand("--", "stat")).isNull();
        assertThat(S3Cli.soleSubcommand("--region")).isNull();
        assertThat(S3Cli.soleSubcommand("sta", "s3://b/k")).isNull(); // the whole model suggests "stat"
    }

    private static List<String> optionNames(CommandLine command) {
        List<String> names = new ArrayList<>();
        command.getCommandSpec().options().forEach(option -> names.add(String.join(",", option.names())));
        names.sort(null);
        return names;
    }
}
