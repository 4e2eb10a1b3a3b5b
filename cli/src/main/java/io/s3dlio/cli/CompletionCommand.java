package io.s3dlio.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion", description = {
    "Print a bash completion script (also works in zsh with bashcompinit). Install with:",
    "  source <(s3-cli completion)"})
final class CompletionCommand extends CommandBase {
    @Override
    public Integer call() {
        env().out().print(AutoComplete.bash("s3-cli", spec.root().commandLine()));
        env().out().flush();
        return ExitCodes.OK;
    }
}
