/** The workflows the worker registers. */
export { userLifecycleWorkflow } from './user-lifecycle.js';
export { reconcileWorkflow } from './reconcile.js';
export { directoryWatcherWorkflow } from './directory-watcher.js';
