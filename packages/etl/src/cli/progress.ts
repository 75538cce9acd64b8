import cliProgress from 'cli-progress';

/** A progress bar on a terminal; plain lines every 10 % elsewhere (CI logs, pipes). */
export interface Progress {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

export function progress(title: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${title} [{bar}] {percentage}% | {value}/{total} | {label}`, hideCursor: true, stream, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, label) {
        if (!started) {
          bar.start(total, 0, { label });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { label });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastDecile = -1;
  return {
    update(done, total, label) {
      const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${title}: ${done}/${total} (${Math.round((done / Math.max(total, 1)) * 100)}%) ${label}\n`);
      }
    },
    stop() {},
  };
}
