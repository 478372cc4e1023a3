// Every job class the worker can run (src/worker.ts imports this file): add yours to the list.
import { registerJobs } from '../libs/queue.js';
import { SendWelcomeEmail } from './send-welcome-email.js';

registerJobs(SendWelcomeEmail);
