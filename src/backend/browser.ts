/**
 * The tfjs backend in a browser page: WebGL where the browser gives a working context, else the
 * plain-JavaScript cpu backend. The same gradient registrations as in Node (kernels/install.ts)
 * are installed, so training computes the same maths on either side; on cpu, a faster
 * Conv2DBackpropFilter replaces tfjs's (kernels/conv2d-backprop-filter-cpu.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { installCpuKernels, installGradients } from './kernels/install.js';

export type BrowserBackendName = 'webgl' | 'cpu';

/** Activate 'webgl' if it initialises here (or `prefer` is 'cpu'), else 'cpu'; returns the name in use. */
export async function useBrowserBackend(prefer: BrowserBackendName = 'webgl'): Promise<BrowserBackendName> {
  installGradients();
  if (prefer === 'webgl' && hasWebgl()) {
    try {
      if (await tf.setBackend('webgl')) return 'webgl';
    } catch {
      // fall through to cpu: a context that exists but fails to compile tfjs's shaders
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('ganbox: neither the webgl nor the cpu backend initialised');
  installCpuKernels();
  return 'cpu';
}

/**
 * Whether a WebGL context can be created at all. Asked first so that a browser without GPU
 * (headless, --disable-gpu) goes to cpu quietly instead of tfjs logging a failed context.
 */
function hasWebgl(): boolean {
  const g = globalThis as { document?: { createElement(tag: string): { getContext(kind: string): unknown } } };
  if (!g.document) return false;
  try {
    const canvas = g.document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}
