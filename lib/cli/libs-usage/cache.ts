// Cache: memory, file and redis stores. `fastpy libs cache --usage` prints this file; the tests run it.
import assert from 'node:assert/strict';
import { Cache, closeLibs } from '#libs';

const fetchUsersFromDb = async () => [{ id: 1, name: 'Ada' }];

// Store a value for an hour (TTLs are in seconds)
await Cache.put('key', 'value', 3600);

// Get a value, with a fallback
const value = await Cache.get('key', 'fallback');
assert.equal(value, 'value');
assert.equal(await Cache.get('missing', 'fallback'), 'fallback');

// Check existence
if (await Cache.has('key')) console.log('Key exists');

// Remember: get, or compute and store
const users = await Cache.remember('users', () => fetchUsersFromDb(), 600);
assert.deepEqual(users, [{ id: 1, name: 'Ada' }]);

// Delete
await Cache.forget('key');
await Cache.flush(); // clear all

// Tags, for grouped invalidation
await Cache.tags(['users', 'active']).put('user:1', { id: 1 });
await Cache.tags(['users']).flush(); // clears everything tagged 'users'
assert.equal(await Cache.tags(['users', 'active']).get('user:1'), undefined);

// Increment / decrement
await Cache.increment('visits');
await Cache.put('stock', 10);
assert.equal(await Cache.decrement('stock', 5), 5);

// Use a specific store (redis needs REDIS_URL)
await Cache.store('file').put('key', 'value');
await Cache.store('redis').put('key', 'value', 60);
assert.equal(await Cache.store('redis').get('key'), 'value');
await Cache.store('redis').forget('key');

await closeLibs(); // a script closes what the facades opened (the app does it on shutdown)
