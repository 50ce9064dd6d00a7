/** metrics.jsonl lines of conditional runs reach the report: evaluation rows keep their conditional metrics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyLine } from '../../src/report/types.js';

test('classifyLine keeps class accuracy, InfoGAN code accuracy and intra-class FID', () => {
  const { row, evalRow } = classifyLine({ step: 500, class_accuracy: 0.97, class_accuracy_per_class: [1, 0.9], intra_class_fid: 3.5, n: 1000 });
  assert.equal(row, undefined);
  assert.deepEqual(evalRow, { step: 500, class_accuracy: 0.97, intra_class_fid: 3.5 });
  assert.deepEqual(classifyLine({ step: 7, info_code_accuracy: 0.91 }).evalRow, { step: 7, info_code_accuracy: 0.91 });
  // Training rows with the conditioner's metrics stay training rows only.
  const t = classifyLine({ step: 10, loss_d: 1, loss_g: 2, value: 0, d_real: 0.5, d_fake: 0.5, aux_real_acc: 0.5, mi_lower_bound: 0.1 });
  assert.equal(t.evalRow, undefined);
  assert.equal(t.row?.mi_lower_bound, 0.1);
});
