package dev.faascell.simulator.cli;

import dev.faascell.replay.cli.HelpOption;
import dev.faascell.replay.report.ResultsDirectory;
import dev.faascell.replay.report.RunDescription;
import dev.faascell.simulator.calibration.Calibration;
import dev.faascell.simulator.calibration.Calibrator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code calibrate}: a calibration file for the simulator from a node's trace records. */
@Command(name = "calibrate", description = {"Derive the simulator's start and run costs from a node's trace records "
    + "(faascell.trace.file, JSON lines), per memory size.",
    "Function sizes come from replays' results directories (--replay); other functions count as --memory-mb."})
public final class CalibrateCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Parameters(paramLabel = "TRACE", arity = "1..*", description = "trace files of the node (invocations.jsonl, ...)")
  List<Path> traces;

  @Option(names = "--replay", paramLabel = "DIR", description = "a replay's results directory whose functions the "
      + "trace holds (their memory sizes); repeatable")
  List<Path> replays = List.of();

  @Option(names = "--memory-mb", paramLabel = "MB", defaultValue = "128",
      description = "memory size of functions no --replay names (default ${DEFAULT-VALUE})")
  int memoryMb;

  @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "python", description = "their runtime (default ${DEFAULT-VALUE})")
  String runtime;

  @Option(names = "--host", paramLabel = "TEXT", defaultValue = "${env:HOSTNAME:-this host}",
      description = "what the node runs on, for reports (default: the host name)")
  String host;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "the calibration file to write (JSON)")
  Path out;

  @Override
  public Integer call() {
    Map<String, Integer> sizes = new HashMap<>();
    for (Path replay : replays) {
      for (RunDescription.DeployedFunction function : ResultsDirectory.read(replay).description().functions()) {
        sizes.put(function.name(), function.memoryMb());
      }
    }
    Calibrator calibrator = new Calibrator(name -> sizes.getOrDefault(name, memoryMb), runtime);
    traces.forEach(calibrator::read);
    Calibration calibration = calibrator.calibration(host, "faascell calibrate " + traces, Calibration.shipped());
    calibration.write(out);
    for (Calibration.Entry entry : calibration.entries()) {
      System.out.printf("%s %d MB: %d cold, %d restores, %d warm; cold p50 %.0f + %.0f ms, restore p50 %.0f ms, "
              + "warm overhead p50 %.2f ms%n", entry.runtime(), entry.memoryMb(), entry.samples().get(0),
          entry.samples().get(1), entry.samples().get(2), entry.bootMs().get(5), entry.initMs().get(5),
          entry.restoreMs().get(5), entry.warmOverheadMs().get(5));
    }
    System.out.println("wrote " + out);
    return 0;
  }
}
