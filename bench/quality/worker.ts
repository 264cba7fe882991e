/**
 * A child process of the quality benchmark's pool: runs the tasks the parent sends (zeroth runs in-process,
 * peer runs through one long-lived python3 process) and sends back their records.
 */
import { closePeer, runTask, type ResultMessage, type TaskMessage } from './pool.js';

const send = (m: ResultMessage): void => {
  process.send!(m);
};

process.on('message', (m: TaskMessage) => {
  if (m.type === 'exit') {
    closePeer();
    process.exit(0);
  }
  runTask(m.task, m.limits).then(
    (record) => send({ type: 'result', id: m.id, record }),
    (e: unknown) => send({ type: 'error', id: m.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
send({ type: 'ready' });
