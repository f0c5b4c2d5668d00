// Demo mode runs against the built-in sandbox, so the demo shop is exactly the company the
// sandbox has registered (a real Focus account would have its own). One definition, no drift.
export { SANDBOX_EMITTER as DEMO_EMITTER } from '../sandbox/demo.ts';
