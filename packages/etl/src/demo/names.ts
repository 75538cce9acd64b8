/** Synthetic names: real-sounding forenames with made-up surnames, so no row can be a real child. */
export const FORENAMES_F = [
  'Amelia', 'Olivia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Freya', 'Florence', 'Sophia', 'Grace',
  'Willow', 'Evie', 'Poppy', 'Ella', 'Daisy', 'Ruby', 'Aria', 'Harper', 'Sienna', 'Maya', 'Zara',
  'Amira', 'Aisha', 'Hannah', 'Chloe', 'Jessica', 'Emily', 'Layla', 'Nia', 'Phoebe', 'Alice',
  'Matilda', 'Rosie', 'Eliza', 'Esme', 'Imogen', 'Priya', 'Fatima', 'Hafsa',
];
export const FORENAMES_M = [
  'Oliver', 'George', 'Noah', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry',
  'Theodore', 'Freddie', 'Jack', 'Charlie', 'Theo', 'Alfie', 'Jacob', 'Thomas', 'Finley', 'Isaac',
  'Lucas', 'Ethan', 'Mason', 'Reuben', 'Kai', 'Ibrahim', 'Yusuf', 'Aarav', 'Riley', 'Joseph',
  'Samuel', 'Daniel', 'Logan', 'Tyler', 'Kian', 'Ronnie', 'Elijah', 'Zain', 'Hamza', 'Dylan',
];
const SURNAME_HEADS = [
  'Ash', 'Birch', 'Brook', 'Clay', 'Fen', 'Hart', 'Holl', 'Kings', 'Lang', 'Mar', 'North', 'Oak',
  'Pem', 'Red', 'Rook', 'Stan', 'Thorn', 'Wey', 'Whit', 'Wood', 'Quill', 'Brack', 'Dun', 'Gorse',
];
const SURNAME_TAILS = ['ley', 'ford', 'wick', 'by', 'ton', 'field', 'more', 'well', 'dale', 'worth', 'cott', 'ham'];
export const SURNAMES = SURNAME_HEADS.flatMap((h) => SURNAME_TAILS.map((t) => h + t));
