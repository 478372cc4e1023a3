// The Notify facade, notifications and their channels.
export * from './channels/database.js';
export * from './channels/mail.js';
export * from './channels/slack.js';
export * from './channels/sms.js';
export * from './manager.js';
export * from './notification.js';
export * from './recipients.js';
