// The run counting lives with the models (workers use it too); producers keep importing it from here.
export { refreshRun, type RunProgress } from '../models/refresh-run.js';
