// Makes users (password "password") with every field of src/models/user.ts filled as its rules allow.
import { defineUserFactory } from 'fastpy-runtime/factories';
import { User } from '../models/user.js';
import { factoryRegistry } from './index.js';

export const userFactory = defineUserFactory(User, factoryRegistry);
