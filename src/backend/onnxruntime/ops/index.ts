/** The table of tfjs kernels the engine writes into ONNX graphs; every other kernel runs on tfjs's cpu kernels. */
import { CONV } from './conv.js';
import { ELEMENTWISE } from './elementwise.js';
import { MATMUL } from './matmul.js';
import { REDUCE } from './reduce.js';
import { SHAPE } from './shape.js';
import type { OpMapping } from './types.js';

export const OP_MAPPINGS: Readonly<Record<string, OpMapping>> = { ...ELEMENTWISE, ...REDUCE, ...SHAPE, ...CONV, ...MATMUL };
export type { OpMapping, OpContext, OutInfo, TfDtype } from './types.js';
