import root from '../../eslint.config.js';

// The root config, plus the declaration output of `tsc --build`.
export default [...root, { ignores: ['out-tsc/**'] }];
