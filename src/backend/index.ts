/** Backend selection and the kernels/gradients tfjs-backend-wasm lacks for training. */
export { useBackend, BACKEND_NAMES, type BackendName, type BackendInfo, type UseBackendOptions } from './select.js';
export { installGradients, installWasmKernels, uninstallGradients } from './kernels/install.js';
export { conv2dFilterGrad } from './kernels/conv2d-filter-grad.js';
export { conv2dInputGrad } from './kernels/conv2d-input-grad.js';
export { COMPARISON_KERNELS } from './kernels/comparison-grads.js';
