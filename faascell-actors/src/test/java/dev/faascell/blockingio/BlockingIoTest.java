package dev.faascell.blockingio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockingIoTest {
  @Test
  void drainingALaneWaitsForEveryTaskHandedInBefore() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      SerialExecutor lane = new SerialExecutor(pool);
      AtomicInteger written = new AtomicInteger();
      for (int i = 0; i < 5; i++) {
        lane.execute(() -> {
          try {
            Thread.sleep(40);   // a slow disk
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          written.incrementAndGet();
        });
      }
      BlockingIo.drain(lane);
      assertThat(written).hasValue(5);
    } finally {
      pool.shutdownNow();
    }
  }
}
