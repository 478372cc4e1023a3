// The Hash facade and its drivers.
export * from './drivers/argon2.js';
export * from './drivers/bcrypt.js';
export * from './drivers/pbkdf2.js';
export * from './hasher.js';
export * from './manager.js';
