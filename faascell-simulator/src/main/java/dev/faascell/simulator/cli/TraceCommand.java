package dev.faascell.simulator.cli;

import dev.faascell.replay.cli.HelpOption;
import dev.faascell.simulator.generator.TraceGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code trace}: tools for Azure-format traces. */
@Command(name = "trace", description = "Azure-format trace tools.", subcommands = TraceCommand.Generate.class)
public final class TraceCommand implements Runnable {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a tool: trace generate");
  }

  /** {@code trace generate}: a seeded day shaped as the Azure Functions 2019 data set. */
  @Command(name = "generate", description = {"Write a day of invocations in the Azure Functions 2019 format, shaped "
      + "as the published data set (Shahrad et al., ATC '20).", "The same --seed writes the same day."})
  static final class Generate implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--functions", paramLabel = "N", defaultValue = "1000", description = "functions (default ${DEFAULT-VALUE})")
    int functions;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--day", paramLabel = "N", defaultValue = "1", description = "the day in the files' names (default ${DEFAULT-VALUE})")
    int day;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "directory for the three files")
    Path out;

    @Override
    public Integer call() {
      TraceGenerator.Written written = new TraceGenerator(functions, seed).write(out, day);
      System.out.printf("wrote %d functions of %d apps, %d invocations, to %s (read it with --trace %s --day %d)%n",
          written.functions(), written.apps(), written.invocations(), out, out, day);
      return 0;
    }
  }
}
