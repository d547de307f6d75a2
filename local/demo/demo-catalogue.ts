/**
 * What the demo's customers write about and what staff answer: a fictional home-appliance shop.
 * Every name is made up from common first and last names, every address is at example.com and
 * every phone number is in Ofcom's drama range (+44 20 7946 0xxx): no real person's data.
 */
export const FIRST_NAMES = [
  'Amira', 'Bruno', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Nikolai', 'Olivia',
  'Pablo', 'Quinn', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Andersen', 'Baptiste', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ivanova', 'Jansen', 'Kowalski', 'Laurent', 'Moreau',
  'Novak', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Yilmaz', 'Zhang',
] as const;

export interface Topic {
  subject: string;
  message: string;
}

export const INQUIRY_TOPICS: readonly Topic[] = [
  { subject: 'Where is my order?', message: 'I ordered a kettle last week and the tracking page has not changed since Monday. Could you tell me when it will arrive?' },
  { subject: 'Question about the warranty', message: 'Does the two-year warranty on the Aurora 600 dishwasher cover the pump? The manual is not clear about it.' },
  { subject: 'Change of delivery address', message: 'I am moving next week. Can the washing machine I ordered be delivered to my new address instead?' },
  { subject: 'Spare filter for my vacuum cleaner', message: 'Which replacement filter fits the Breeze 2 vacuum cleaner, and do you have it in stock?' },
  { subject: 'Invoice for my company', message: 'Could you send me an invoice with our company name on it for my last order? Our accounts team needs it.' },
  { subject: 'How do I descale the coffee machine?', message: 'The descaling light on my coffee machine is on. What product should I use and how long does it take?' },
  { subject: 'Installation appointment', message: 'When I bought the oven you offered installation. How do I book a slot for it?' },
  { subject: 'Gift card balance', message: 'I received a gift card for my birthday. How can I check how much is left on it?' },
  { subject: 'Is this fridge frost-free?', message: 'Before I order: is the Polar 300 fridge freezer frost-free, and how loud is it at night?' },
  { subject: 'Paying in instalments', message: 'Can I pay for a new cooker in three monthly instalments? I could not find the option at checkout.' },
] as const;

export const COMPLAINT_TOPICS: readonly Topic[] = [
  { subject: 'Charged twice for one order', message: 'My card was charged twice for the same order. I want the second payment refunded straight away.' },
  { subject: 'Washing machine arrived damaged', message: 'The washing machine was delivered with a dented door and it leaks on the first wash. This is not acceptable.' },
  { subject: 'Nobody came to the installation', message: 'I took a day off work for the installation and nobody came or called. I want to know what happened.' },
  { subject: 'Refund still missing after three weeks', message: 'I returned the toaster three weeks ago and I still have no refund, despite two emails. Please sort this out.' },
  { subject: 'Rude delivery driver', message: 'The driver left the parcel in the rain and was rude when I asked him to bring it in. I expect better.' },
  { subject: 'Wrong item delivered again', message: 'For the second time I received the wrong colour of the mixer I ordered. I am very disappointed.' },
  { subject: 'Repair took six weeks', message: 'My oven has been at your repair centre for six weeks. Nobody can tell me when I get it back.' },
  { subject: 'Promised callback never came', message: 'I was promised a callback from a supervisor about my broken dishwasher. It never came. I want to complain.' },
] as const;

export const AGENT_REPLIES = [
  'Thank you for getting in touch. I have looked into this and will keep you updated here.',
  'Thanks for your patience. I have checked your order and here is what I found.',
  'I am sorry for the trouble. I have passed this to the right team and will follow up with you.',
  'Thank you for the details. Could you send us a photo of the label on the back of the appliance?',
] as const;

export const NOTES = [
  'Checked the order history: one delivery attempt recorded.',
  'Courier confirms the parcel is at the local depot.',
  'Customer prefers to be called in the afternoon.',
  'Payment provider shows two captures for the same amount.',
  'Spoke to the warehouse; stock expected on Thursday.',
] as const;

export const CALL_TRANSCRIPTS = [
  'Agent: Good morning, how can I help?\nCustomer: I am calling about my order.\nAgent: Let me look that up for you. I can see it left our warehouse yesterday.\nCustomer: Great, thank you.',
  'Agent: Hello, you are through to customer service.\nCustomer: My appliance is not working since it was delivered.\nAgent: I am sorry to hear that. I will arrange an engineer visit.\nCustomer: Please do, as soon as possible.',
  'Agent: I am calling back about your refund.\nCustomer: Yes, I am still waiting.\nAgent: I have checked with finance; it was sent today and should arrive in three working days.\nCustomer: Thank you for calling back.',
] as const;

export const ESCALATION_REASONS = [
  'The customer asks for a refund above what I may approve.',
  'Second failed delivery: needs a supervisor decision on compensation.',
  'The customer asked to speak to a supervisor.',
] as const;

export const RESOLUTIONS = [
  'Refund of the duplicate payment issued and confirmed by the customer.',
  'Replacement delivered and the damaged unit collected.',
  'Answered the question; the customer is happy.',
  'Engineer visit completed; the appliance works again.',
] as const;

/** A complaint resolution's checklist (M9.2), complete. */
export const COMPLETE_CHECKLIST = {
  complaintHeard: true,
  empathyShown: true,
  solutionOffered: 'A refund, or a replacement at the customer’s choice',
  correctiveAction: 'Shared with the team so that it does not happen again',
  followUp: { date: '2030-01-15', plan: 'Call the customer to check all is well' },
} as const;
