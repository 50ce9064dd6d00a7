/** images:DIR with class subfolders carries labels (data/image-folder.ts folderLabels). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openImageFolder } from '../../src/data/image-folder.js';
import { encodePng } from '../../src/io/png.js';

function folder(layout: Record<string, number>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-cls-'));
  for (const [rel, grey] of Object.entries(layout)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, encodePng(new Uint8Array(4 * 4).fill(grey), 4, 4, 1));
  }
  return dir;
}

test('class subfolders give labels numbered by folder name; a flat folder gives none', () => {
  const src = openImageFolder(folder({ 'dog/a.png': 10, 'cat/b.png': 20, 'cat/sub/c.png': 30, 'dog/d.png': 40 }), { size: 4 });
  assert.equal(src.numClasses, 2);
  // Files in path order: cat/b, cat/sub/c, dog/a, dog/d → classes cat = 0, dog = 1.
  const ex = src.take([0, 1, 2, 3]);
  assert.deepEqual([...ex.labels!], [0, 0, 1, 1]);
  assert.equal(Math.round((ex.x[0]! + 1) * 127.5), 20, 'first example is cat/b.png');
  const flat = openImageFolder(folder({ 'a.png': 1, 'b.png': 2 }), { size: 4 });
  assert.equal(flat.numClasses, undefined);
  assert.equal(flat.take([0]).labels, undefined);
  const mixed = openImageFolder(folder({ 'a.png': 1, 'x/b.png': 2, 'y/c.png': 3 }), { size: 4 });
  assert.equal(mixed.numClasses, undefined, 'an image outside every class folder: no labels');
  const one = openImageFolder(folder({ 'x/a.png': 1, 'x/b.png': 2 }), { size: 4 });
  assert.equal(one.numClasses, undefined, 'one folder is not a classification');
});
