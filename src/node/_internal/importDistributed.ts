/** The optional peer dependencies that `zeroth/distributed` runs on, with the versions it is built against. */
export const DISTRIBUTED_PEERS = 'bullmq@6.7.0 ioredis@5.11.1';

/**
 * Loads a module of `zeroth/distributed` for a command of the CLI. BullMQ and ioredis are optional peer
 * dependencies: when either is not installed, the error names them and the `npm install` that adds them
 * (thrown through `usage`, so the command ends with its usage exit code instead of a stack trace).
 */
export async function importDistributed<T>(load: () => Promise<T>, what: string, usage: (message: string) => Error): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : '';
    if (code === 'ERR_MODULE_NOT_FOUND' && /'(bullmq|ioredis)'/.test(message)) {
      throw usage(`${what} runs on Redis through BullMQ and ioredis, optional peer dependencies of zeroth that are not installed here: npm install ${DISTRIBUTED_PEERS}`);
    }
    throw e;
  }
}
