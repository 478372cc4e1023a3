// Every job class the worker can run (src/worker.ts imports this file): add yours to the list. Queued
// notifications (a Notification with `queue` set) are sent by the worker too: list their classes below.
import { registerJobs, registerNotifications } from '#libs';
import { SendWelcomeEmail } from './send-welcome-email.js';

registerJobs(SendWelcomeEmail);
registerNotifications();
