import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Bytes stored under a sandbox root (files only; symlinks are not followed). `sizeOf` may count
 * a file as larger than the disk shows yet (a writer's bytes charged but still in flight).
 */
export async function sandboxUsage(root: string, sizeOf: (file: string, onDisk: number) => number = (_f, n) => n): Promise<number> {
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) total += sizeOf(full, (await fs.lstat(full).catch(() => ({ size: 0 }))).size);
    }
  };
  await walk(root);
  return total;
}
