// An example job: `await Queue.push(new SendWelcomeEmail(user.email, user.name))` from a route or a
// service returns at once; the worker (npm run worker) sends the mail, retrying twice, a minute apart.
import { Job, Mail } from '#libs';

export class SendWelcomeEmail extends Job {
  override tries = 3;
  override backoff = 60;

  constructor(
    public email: string,
    public name: string,
  ) {
    super();
  }

  async handle(): Promise<void> {
    await Mail.to(this.email).subject('Welcome!').send('welcome', { name: this.name });
  }
}
