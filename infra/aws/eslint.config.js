import root from '../../eslint.config.js';

// Declaration output of the spec typecheck is not source.
export default [...root, { ignores: ['out-tsc/**'] }];
