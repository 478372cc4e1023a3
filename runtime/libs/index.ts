// The facades, one import path: `import { Http, Mail, Storage, Queue, Job, Notify, Notification, Hash, Crypt, Cache, Event } from '#libs'`.
// Each facade is a folder — index, manager (the facade), drivers/ — and `fastpy eject libs/<facade>` makes one yours.
export { Cache, CacheError, CacheRepository, type CacheStore } from './cache/index.js';
export { Crypt, DecryptError, Fernet } from './crypt/index.js';
export { Event, EventAssertionError, EventDispatcher, type Listener, type Subscriber } from './event/index.js';
export { Hash, hashAlgorithm, type Hasher } from './hash/index.js';
export {
  facadeMailer,
  Mail,
  MailAssertionError,
  PendingMail,
  type MailAttachment,
  type MailMessage,
} from './mail/index.js';
export {
  Notification,
  Notify,
  NotificationError,
  registerNotifications,
  type Channel,
  type ChannelContent,
  type Notifiable,
  type SmsProvider,
} from './notify/index.js';
export { Job, Queue, QueueError, registerJobs, type FailedJob, type Worker } from './queue/index.js';
export { Storage, StorageError, type Disk, type DiskName } from './storage/index.js';
export {
  Http,
  HttpError,
  HttpRequestRefusedError,
  HttpResponse,
  isPrivateAddress,
  type RecordedRequest,
} from './http/index.js';
// What the facades share — the settings and services configureLibs gave them, hooks for when those
// change and when the app closes — for a facade of your own, or one you ejected.
export {
  closeLibs,
  configureLibs,
  libsDatabase,
  libsRedis,
  libsSettings,
  onLibsClose,
  onLibsConfigured,
  type LibsServices,
} from './config.js';
export { createRedis, pingRedis, type RedisOptions } from './redis.js';
