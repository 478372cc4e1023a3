// The facades, one import path: `import { Http, Mail, Storage, Queue, Job, Notify, Notification, Hash, Crypt, Cache, Event } from '#libs'`.
export { Cache, CacheError, CacheRepository, type CacheStore } from './cache.js';
export { closeLibs, configureLibs, libsDatabase } from './config.js';
export { Crypt, DecryptError, Fernet } from './crypt.js';
export { Event, EventAssertionError, EventDispatcher, type Listener, type Subscriber } from './event.js';
export { Hash, hashAlgorithm, type Hasher } from './hash.js';
export { facadeMailer, Mail, MailAssertionError, PendingMail } from './mail.js';
export type { MailAttachment, MailMessage } from '../mail/mailer.js';
export {
  Notification,
  Notify,
  NotificationError,
  registerNotifications,
  type Channel,
  type ChannelContent,
  type Notifiable,
  type SmsProvider,
} from './notify.js';
export { Job, Queue, QueueError, registerJobs, type FailedJob, type Worker } from './queue.js';
export { createRedis, pingRedis, type RedisOptions } from './redis.js';
export { Storage, type DiskName } from './storage.js';
export { StorageError, type Disk } from '../storage/disk.js';
export {
  Http,
  HttpError,
  HttpRequestRefusedError,
  HttpResponse,
  isPrivateAddress,
  type RecordedRequest,
} from './http.js';
