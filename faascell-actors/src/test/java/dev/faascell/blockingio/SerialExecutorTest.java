package dev.faascell.blockingio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  @Test
  void tasksRunOneAtATimeInTheOrderTheyWereHandedInOnThePoolsThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4, task -> new Thread(task, "pool-thread"));
    int submitters = 8;
    int perSubmitter = 2_500;
    ExecutorService submitting = Executors.newFixedThreadPool(submitters);
    try {
      SerialExecutor lane = new SerialExecutor(pool);
      List<int[]> ran = Collections.synchronizedList(new ArrayList<>());
      List<String> threads = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger running = new AtomicInteger();
      AtomicInteger mostAtOnce = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
      for (int s = 0; s < submitters; s++) {
        int submitter = s;
        submitting.execute(() -> {
          for (int i = 0; i < perSubmitter; i++) {
            int[] task = {submitter, i};
            lane.execute(() -> {
              mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
              ran.add(task);
              threads.add(Thread.currentThread().getName());
              running.decrementAndGet();
              done.countDown();
            });
          }
        });
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(mostAtOnce.get()).as("tasks running at once").isEqualTo(1);
      for (int s = 0; s < submitters; s++) {
        int submitter = s;
        assertThat(ran.stream().filter(task -> task[0] == submitter).map(task -> task[1]).toList())
            .as("submitter %d's tasks", submitter).isSorted().hasSize(perSubmitter);
      }
      assertThat(threads).containsOnly("pool-thread");
    } finally {
      submitting.shutdownNow();
      pool.shutdownNow();
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheOnesAfterIt() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor lane = new SerialExecutor(pool);
      CountDownLatch after = new CountDownLatch(1);
      lane.execute(() -> {
        throw new IllegalStateException("a full disk");
      });
      lane.execute(after::countDown);
      assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }
}
