/** Sample customers and conversations of a fictional outdoor-gear store, for the demo account. */
export interface DemoThread {
  customer: { name: string; email?: string; phone?: string };
  subject: string;
  /** Minutes ago the conversation started. */
  startedMinutesAgo: number;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  tags?: string[];
  team?: 'Support' | 'Billing';
  assignee?: 'sam' | 'priya' | 'leo';
  /** c: customer, a: agent reply, n: internal note; each with minutes after the previous message. */
  messages: [who: 'c' | 'a' | 'n', text: string, afterMinutes: number][];
  status?: 'open' | 'pending' | 'resolved' | 'snoozed';
}

export const DEMO_THREADS: DemoThread[] = [
  {
    customer: { name: 'Maya Thompson', email: 'maya.thompson@example.com', phone: '+14155550123' },
    subject: 'Where is my order #NW-10482?',
    startedMinutesAgo: 18,
    priority: 'high',
    tags: ['shipping', 'order-status'],
    team: 'Support',
    messages: [
      [
        'c',
        'Hi! I ordered the Trailhead 45L backpack last Monday (order #NW-10482) and tracking has not moved in 4 days. I leave for a trip on Saturday, will it arrive in time?',
        0,
      ],
    ],
  },
  {
    customer: { name: 'Jonas Becker', email: 'jonas.becker@example.de' },
    subject: 'Wrong size hiking boots',
    startedMinutesAgo: 95,
    tags: ['returns', 'sizing'],
    team: 'Support',
    assignee: 'sam',
    messages: [
      ['c', 'Hello, the Ridge GTX boots I received are EU 44 but I ordered EU 43. Can I exchange them?', 0],
      [
        'a',
        'Hi Jonas, sorry about that! I have started an exchange for EU 43 and emailed you a prepaid return label. The new pair ships as soon as the carrier scans the return.',
        12,
      ],
      ['c', 'Great, thank you. Do I need the original box?', 40],
    ],
  },
  {
    customer: { name: 'Aiko Tanaka', email: 'aiko.tanaka@example.jp' },
    subject: 'Charged twice for one order',
    startedMinutesAgo: 240,
    priority: 'urgent',
    tags: ['billing', 'refund'],
    team: 'Billing',
    assignee: 'priya',
    messages: [
      ['c', 'My card was charged twice ($189.00 each) for order #NW-10391. Please refund the duplicate.', 0],
      [
        'n',
        'Payment provider shows one capture and one authorisation hold; the hold should drop in 3-5 days. Confirming before replying.',
        15,
      ],
      [
        'a',
        'Hi Aiko, I checked with our payment provider: the second line is an authorisation hold, not a charge, and it will disappear within 3 to 5 business days. If it is still there on Friday, reply here and I will escalate it right away.',
        22,
      ],
    ],
    status: 'pending',
  },
  {
    customer: { name: 'Carlos Mendes', phone: '+351912345678' },
    subject: 'Is the Summit down jacket back in stock?',
    startedMinutesAgo: 30,
    tags: ['stock'],
    messages: [['c', 'Hi, when will the Summit down jacket in size M, colour forest green, be back in stock?', 0]],
  },
  {
    customer: { name: 'Emily Clarke', email: 'emily.clarke@example.co.uk' },
    subject: 'Tent pole snapped on first use',
    startedMinutesAgo: 60 * 26,
    priority: 'high',
    tags: ['warranty', 'product-issue'],
    team: 'Support',
    assignee: 'leo',
    messages: [
      [
        'c',
        'One of the poles of my Alpine 2 tent snapped the first time I set it up. Really disappointed, this was for a festival this weekend.',
        0,
      ],
      [
        'a',
        'Emily, I am really sorry. That is covered by our warranty: I have sent a replacement pole set by express shipping, it should arrive Thursday. No need to return anything.',
        35,
      ],
      ['c', 'Thank you, that saves my weekend!', 80],
    ],
    status: 'resolved',
  },
  {
    customer: { name: 'Noah Williams', email: 'noah.w@example.com' },
    subject: 'Discount code not working',
    startedMinutesAgo: 60 * 5,
    tags: ['promo'],
    team: 'Billing',
    messages: [
      ['c', 'The code SPRING20 says it is invalid at checkout. It was in your newsletter yesterday.', 0],
      [
        'a',
        'Hi Noah, SPRING20 applies to full-price items only; the sleeping bag in your cart is already discounted. I have added a 10% code (NOAH10) you can use on it instead.',
        25,
      ],
    ],
    status: 'resolved',
  },
  {
    customer: { name: 'Fatima Zahra', email: 'fatima.zahra@example.ma' },
    subject: 'Change delivery address',
    startedMinutesAgo: 7,
    priority: 'high',
    tags: ['shipping'],
    messages: [
      [
        'c',
        'I just placed order #NW-10511 and entered my old address by mistake. Can you change it to 12 Rue des Oliviers, Casablanca before it ships?',
        0,
      ],
    ],
  },
  {
    customer: { name: 'Liam O\u2019Brien', email: 'liam.obrien@example.ie' },
    subject: 'Product question: waterproof rating',
    startedMinutesAgo: 60 * 50,
    tags: ['product-question'],
    messages: [
      ['c', 'What is the waterproof rating of the Storm shell jacket? Is it good for multi-day hikes in Scotland?', 0],
      [
        'a',
        'Hi Liam, the Storm shell is rated 20,000 mm with taped seams and pit zips, great for multi-day hikes in wet weather. Pair it with a merino base layer and you will be set.',
        90,
      ],
    ],
    status: 'resolved',
  },
  {
    customer: { name: 'Sofia Rossi', email: 'sofia.rossi@example.it' },
    subject: 'Return window for a gift',
    startedMinutesAgo: 60 * 3,
    tags: ['returns'],
    assignee: 'sam',
    team: 'Support',
    messages: [
      ['c', 'I bought a headlamp as a gift in November. Can the recipient still return it in January?', 0],
      ['a', 'Hi Sofia, yes: purchases made from November 1 can be returned until January 31. A gift receipt is all they need.', 20],
      ['c', 'Perfect. Can they exchange it for a different model instead?', 50],
    ],
  },
  {
    customer: { name: 'Daniel Kim', email: 'daniel.kim@example.com', phone: '+12065550188' },
    subject: 'Bulk order for our hiking club',
    startedMinutesAgo: 60 * 8,
    priority: 'low',
    tags: ['sales', 'b2b'],
    messages: [
      [
        'c',
        'We are a hiking club of 25 people and would like to order matching fleece jackets. Do you offer group discounts or custom embroidery?',
        0,
      ],
    ],
    status: 'snoozed',
  },
];
