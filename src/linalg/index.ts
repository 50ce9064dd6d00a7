/** Dense float64 linear algebra for the metrics: the numerically delicate parts, isolated. */
export { gemm, matmul, mirrorLower, type MatView, type GemmOptions } from './gemm.js';
export { moments, mergeMoments, covarianceFromMoments, MomentAccumulator, type Moments } from './covariance.js';
export { pivotedCholesky, type PivotedCholesky } from './cholesky.js';
export { tridiagonalize, applyQ, type Tridiagonal } from './tridiagonal.js';
export { tridiagonalQL } from './tridiagonal-ql.js';
export { eigh, eigvalsh, type Eigen } from './eigen.js';
export { traceSqrtProduct, sqrtPsd, type TraceSqrtResult, type TraceSqrtOptions } from './trace-sqrt.js';
