// The Crypt facade and its ciphers.
export * from './drivers/aes-cbc-hmac.js';
export * from './drivers/fernet.js';
export * from './encrypter.js';
export * from './manager.js';
