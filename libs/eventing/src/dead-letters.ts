import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import {
  deadLetterSubject,
  type DeadLetter,
  type EventEnvelope,
  type ServiceName,
} from '@rcp/contracts';

/** Publishes the original message, the error and the consumer to `dlq.<service>.<consumer>`. */
export async function publishDeadLetter(
  js: JetStreamClient,
  service: ServiceName,
  consumer: string,
  msg: JsMsg,
  error: Error,
  envelope: EventEnvelope | null,
): Promise<void> {
  const letter: DeadLetter = {
    consumer,
    service,
    subject: msg.subject,
    streamSequence: msg.info.streamSequence,
    deliveryCount: msg.info.deliveryCount,
    error: { name: error.name, message: error.message, code: (error as { code?: string }).code },
    deadLetteredAt: new Date().toISOString(),
    envelope,
    raw: envelope ? null : msg.string(),
  };
  await js.publish(deadLetterSubject(service, consumer), JSON.stringify(letter), {
    msgID: `${service}.${consumer}.${msg.info.streamSequence}`,
  });
}
