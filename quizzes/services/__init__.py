"""The quizzes' workflows, by what they serve: attempts and answers, cards and reviews."""
